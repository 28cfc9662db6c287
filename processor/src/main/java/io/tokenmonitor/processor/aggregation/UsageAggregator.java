package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.plan.PlanBook;
import io.tokenmonitor.processor.plan.Plans;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UserPlan;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each request to its user's totals for the billing period of its event time under the user's plan,
 * in the store named {@code periodsStore}, with its model's, its provider's and its local day's share, and
 * finds the plan's alert thresholds the new total reaches for the first time in that period.
 *
 * <p>Which thresholds have alerted is kept in the totals themselves, so each fires once per user and
 * period even if the limit changes, and one request that jumps past several fires each of them.
 */
public final class UsageAggregator implements FixedKeyProcessor<String, TokenUsage, PeriodUpdate> {

    private final String periodsStore;
    private final String plansStore;
    private final DefaultPlan defaultPlan;
    private FixedKeyProcessorContext<String, PeriodUpdate> context;
    private KeyValueStore<String, UsagePeriod> periods;
    private PlanBook plans;

    public UsageAggregator(String periodsStore, String plansStore, DefaultPlan defaultPlan) {
        this.periodsStore = periodsStore;
        this.plansStore = plansStore;
        this.defaultPlan = defaultPlan;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PeriodUpdate> context) {
        this.context = context;
        this.periods = context.getStateStore(periodsStore);
        this.plans = new PlanBook(context.getStateStore(plansStore), defaultPlan);
    }

    @Override
    public void process(FixedKeyRecord<String, TokenUsage> record) {
        TokenUsage usage = record.value();
        PlanState state = plans.stateOf(usage.getUserId());
        UserPlan plan = state.getPlan();
        BillingPeriod period = Plans.periodContaining(state, usage.getTimestamp());
        String key = StoreKeys.periodKey(period.name(), usage.getUserId());

        UsagePeriod totals = periods.get(key);
        if (totals == null) {
            totals = PeriodTotals.empty(usage.getUserId(), period, plan.getMonthlyTokenLimit(),
                Plans.calendarAt(state, usage.getTimestamp()).zone());
        } else if (totals.getTimeZone() == null) {
            // Totals written before the zone was recorded: date their days from now on by the calendar in force.
            totals.setTimeZone(Plans.calendarAt(state, usage.getTimestamp()).zone().getId());
        }
        PeriodTotals.add(totals, usage, ZoneId.of(totals.getTimeZone()));
        totals.setLimit(plan.getMonthlyTokenLimit());
        List<Integer> crossed = PeriodTotals.markReachedThresholds(totals, plan.getThresholdsPercent());
        periods.put(key, totals);

        context.forward(record.withValue(new PeriodUpdate(totals, crossed, usage.getTimestamp(),
            usage.getRequestId(), PeriodUpdate.CAUSE_REQUEST)));
    }
}
