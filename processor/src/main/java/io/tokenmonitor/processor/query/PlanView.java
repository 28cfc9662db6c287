package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * A user's plan as the HTTP API returns it. Instants are ISO-8601 strings in UTC.
 *
 * @param isDefault true when the user has no plan of their own and the default plan applies
 * @param updatedAt when the user's plan was set, or null for the default plan
 * @param currentPeriod the billing period in progress
 * @param layoutEffectiveFrom when a pending change of time zone or anchor day takes effect, or null
 */
public record PlanView(
    String userId,
    String planName,
    long monthlyTokenLimit,
    List<Integer> thresholdsPercent,
    Integer hardStopPercent,
    String timeZone,
    int anchorDay,
    boolean isDefault,
    String updatedAt,
    PeriodRef currentPeriod,
    String layoutEffectiveFrom) {

    /** A billing period's name, start and end. */
    public record PeriodRef(String name, String start, String end) {
    }
}
