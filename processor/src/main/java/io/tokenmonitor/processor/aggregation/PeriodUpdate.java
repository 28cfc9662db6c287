package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.schema.UsagePeriod;
import java.time.Instant;
import java.util.List;

/**
 * A change of a user's period totals: after a request, a plan change or a reset. Lives only between
 * processors of the topology and is never serialized.
 *
 * @param period the totals after the change
 * @param crossedThresholds thresholds the change reached for the first time in the period, ascending
 * @param eventTime event time of the request, or the time of the plan change
 * @param requestId id of the request, or of the last request counted for a plan change
 * @param cause {@link #CAUSE_REQUEST}, {@link #CAUSE_PLAN_CHANGE} or {@link #CAUSE_RESET}
 */
public record PeriodUpdate(UsagePeriod period, List<Integer> crossedThresholds, Instant eventTime, String requestId,
                           String cause) {

    public static final String CAUSE_REQUEST = "request";
    public static final String CAUSE_PLAN_CHANGE = "plan-change";
    public static final String CAUSE_RESET = "reset";
}
