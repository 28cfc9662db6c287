package io.tokenmonitor.processor.plan;

import io.tokenmonitor.processor.aggregation.CommandOutcome;
import io.tokenmonitor.processor.aggregation.PeriodTotals;
import io.tokenmonitor.processor.aggregation.PeriodUpdate;
import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.period.BillingCalendar;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.validation.DeadLetters;
import io.tokenmonitor.processor.validation.Decoded;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each record of the user-plans topic to the plans store. A plan applies to the events that
 * follow it. If its limit or thresholds put the total of the period in progress past thresholds that have
 * not alerted, those alerts fire at once, each once. A tombstone returns the user to the default plan and
 * removes the user's entry, unless a change of calendar is still pending.
 *
 * <p>A change of time zone or anchor day leaves the period in progress as it is when it has usage: the
 * new calendar starts at that period's end. Without usage in that period, the new calendar applies at once.
 */
public final class PlanUpdater implements FixedKeyProcessor<String, byte[], CommandOutcome> {

    private final AvroSerde<UserPlan> planSerde;
    private final DeadLetters deadLetters;
    private final String plansStore;
    private final String periodsStore;
    private final DefaultPlan defaultPlan;
    private FixedKeyProcessorContext<String, CommandOutcome> context;
    private KeyValueStore<String, PlanState> plans;
    private KeyValueStore<String, UsagePeriod> periods;

    public PlanUpdater(AvroSerde<UserPlan> planSerde, DeadLetters deadLetters, String plansStore, String periodsStore,
                       DefaultPlan defaultPlan) {
        this.planSerde = planSerde;
        this.deadLetters = deadLetters;
        this.plansStore = plansStore;
        this.periodsStore = periodsStore;
        this.defaultPlan = defaultPlan;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CommandOutcome> context) {
        this.context = context;
        this.plans = context.getStateStore(plansStore);
        this.periods = context.getStateStore(periodsStore);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String userId = record.key();
        if (userId == null || userId.isBlank()) {
            reject(record, RejectionReason.MISSING_FIELD, "Record key (the user id) is missing");
            return;
        }
        UserPlan plan;
        if (record.value() == null) {
            plan = defaultPlan.toPlan(userId);
            plan.setUpdatedAt(Instant.ofEpochMilli(record.timestamp()));
        } else {
            Decoded<UserPlan> decoded = Decoded.decode(planSerde, Topics.USER_PLANS.name(), record.value());
            if (!decoded.isDecoded()) {
                reject(record, decoded.rejection(), decoded.error());
                return;
            }
            plan = decoded.value();
        }
        if (!Objects.equals(userId, plan.getUserId())) {
            reject(record, RejectionReason.KEY_MISMATCH,
                "Record key '" + userId + "' differs from userId '" + plan.getUserId() + "'");
            return;
        }
        String problem = Plans.findProblem(plan);
        if (problem != null) {
            reject(record, RejectionReason.INVALID_PLAN, problem);
            return;
        }
        plan.setThresholdsPercent(plan.getThresholdsPercent().stream().sorted().toList());

        PlanState previous = plans.get(userId);
        if (previous == null) {
            previous = defaultPlan.toState(userId);
        }
        PlanState next = nextState(previous, plan);
        if (record.value() == null && next.getLayoutEffectiveFrom() == null) {
            plans.delete(userId);
        } else {
            plans.put(userId, next);
        }

        context.forward(record.withValue(CommandOutcome.applied(applyToPeriodInProgress(next, plan))));
    }

    private PlanState nextState(PlanState previous, UserPlan plan) {
        PlanState.Builder next = PlanState.newBuilder(previous).setPlan(plan);
        if (!Plans.layoutDiffers(previous.getPlan(), plan)) {
            return next.build();
        }
        Instant changedAt = plan.getUpdatedAt();
        BillingPeriod inProgress = Plans.periodContaining(previous, changedAt);
        boolean hasUsage = periods.get(StoreKeys.periodKey(inProgress.name(), plan.getUserId())) != null;
        BillingCalendar inForce = calendarInForce(previous, changedAt);
        if (!hasUsage || Plans.calendarOf(plan).equals(inForce)) {
            // NOTE: without usage in progress, a late event for an earlier period is placed with the new calendar.
            return next.setPreviousTimeZone(null).setPreviousAnchorDay(null).setLayoutEffectiveFrom(null).build();
        }
        return next.setPreviousTimeZone(inForce.zone().getId())
            .setPreviousAnchorDay(inForce.anchorDay())
            .setLayoutEffectiveFrom(inProgress.end())
            .build();
    }

    private static BillingCalendar calendarInForce(PlanState state, Instant instant) {
        Instant effectiveFrom = state.getLayoutEffectiveFrom();
        if (effectiveFrom != null && instant.isBefore(effectiveFrom)) {
            return Plans.previousCalendarOf(state);
        }
        return Plans.calendarOf(state.getPlan());
    }

    /** Applies the new limit and thresholds to the totals of the period in progress, if it has any. */
    private PeriodUpdate applyToPeriodInProgress(PlanState state, UserPlan plan) {
        BillingPeriod period = Plans.periodContaining(state, plan.getUpdatedAt());
        String key = StoreKeys.periodKey(period.name(), plan.getUserId());
        UsagePeriod totals = periods.get(key);
        if (totals == null) {
            return null;
        }
        totals.setLimit(plan.getMonthlyTokenLimit());
        List<Integer> crossed = PeriodTotals.markReachedThresholds(totals, plan.getThresholdsPercent());
        periods.put(key, totals);
        return new PeriodUpdate(totals, crossed, plan.getUpdatedAt(), totals.getLastRequestId(),
            PeriodUpdate.CAUSE_PLAN_CHANGE);
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectionReason reason, String error) {
        deadLetters.mark(record, context.recordMetadata(), reason, error);
        context.forward(record.withValue(CommandOutcome.rejected(reason, record.value())));
    }
}
