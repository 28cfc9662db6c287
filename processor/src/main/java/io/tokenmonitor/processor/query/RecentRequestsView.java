package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * A page of a user's newest requests, newest first by event time, as the HTTP API returns them.
 *
 * @param nextBefore the event time to pass as {@code before} for the next, older page, as an ISO-8601 string
 *     in UTC; null when the store contains no older request of the user
 */
public record RecentRequestsView(String userId, List<RequestView> requests, String nextBefore) {

    /**
     * One request's token counts; the timestamp is its event time as an ISO-8601 string in UTC.
     *
     * @param estimator what produced the counts, see the token-usage topic
     * @param costDollars estimated cost in US dollars, six decimals, or null when the price is unknown
     */
    public record RequestView(
        String requestId,
        String timestamp,
        String model,
        String provider,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        String tokenSource,
        String estimator,
        String costDollars) {
    }
}
