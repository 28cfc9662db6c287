package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * The alerts raised for a user in one period, oldest first, as the HTTP API returns them.
 */
public record AlertsView(String userId, String period, List<Alert> alerts) {

    /**
     * One alert, as sent to the usage-alerts topic.
     *
     * @param totalTokens the period total just after the crossing
     * @param timestamp event time of the crossing, an ISO-8601 string in UTC
     * @param requestId the request that crossed the threshold; for a plan change the last request counted
     * @param cause {@code request} or {@code plan-change}
     */
    public record Alert(String alertId, int thresholdPercent, long limit, long totalTokens, String timestamp,
                        String requestId, String cause) {
    }
}
