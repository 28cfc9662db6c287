package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.plan.PlanBook;
import io.tokenmonitor.processor.plan.Plans;
import io.tokenmonitor.processor.validation.DeadLetters;
import io.tokenmonitor.processor.validation.Decoded;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each record of the usage-resets topic: zeroes the user's totals of the period containing
 * {@code requestedAt} and their per-model, per-provider and per-day shares. It also clears the record of
 * thresholds that have alerted there, so they fire again. The reset is processed in order with the user's
 * requests, since both topics are keyed and partitioned by user.
 */
public final class ResetApplier implements FixedKeyProcessor<String, byte[], CommandOutcome> {

    private final AvroSerde<UsageReset> resetSerde;
    private final DeadLetters deadLetters;
    private final String periodsStore;
    private final String plansStore;
    private final DefaultPlan defaultPlan;
    private FixedKeyProcessorContext<String, CommandOutcome> context;
    private KeyValueStore<String, UsagePeriod> periods;
    private PlanBook plans;

    public ResetApplier(AvroSerde<UsageReset> resetSerde, DeadLetters deadLetters, String periodsStore,
                        String plansStore, DefaultPlan defaultPlan) {
        this.resetSerde = resetSerde;
        this.deadLetters = deadLetters;
        this.periodsStore = periodsStore;
        this.plansStore = plansStore;
        this.defaultPlan = defaultPlan;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CommandOutcome> context) {
        this.context = context;
        this.periods = context.getStateStore(periodsStore);
        this.plans = new PlanBook(context.getStateStore(plansStore), defaultPlan);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Decoded<UsageReset> decoded = Decoded.decode(resetSerde, Topics.USAGE_RESETS.name(), record.value());
        if (!decoded.isDecoded()) {
            reject(record, decoded.rejection(), decoded.error());
            return;
        }
        UsageReset reset = decoded.value();
        if (reset.getUserId().isBlank()) {
            reject(record, RejectionReason.MISSING_FIELD, "userId is blank");
            return;
        }
        if (!Objects.equals(record.key(), reset.getUserId())) {
            reject(record, RejectionReason.KEY_MISMATCH,
                "Record key '" + record.key() + "' differs from userId '" + reset.getUserId() + "'");
            return;
        }

        PlanState state = plans.stateOf(reset.getUserId());
        BillingPeriod period = Plans.periodContaining(state, reset.getRequestedAt());
        String key = StoreKeys.periodKey(period.name(), reset.getUserId());
        UsagePeriod totals = periods.get(key);
        if (totals == null) {
            totals = PeriodTotals.empty(reset.getUserId(), period, state.getPlan().getMonthlyTokenLimit(),
                Plans.calendarAt(state, reset.getRequestedAt()).zone());
        }
        PeriodTotals.reset(totals);
        periods.put(key, totals);

        context.forward(record.withValue(CommandOutcome.applied(new PeriodUpdate(totals, List.of(),
            reset.getRequestedAt(), "", PeriodUpdate.CAUSE_RESET))));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectionReason reason, String error) {
        deadLetters.mark(record, context.recordMetadata(), reason, error);
        context.forward(record.withValue(CommandOutcome.rejected(reason, record.value())));
    }
}
