package io.tokenmonitor.processor.query;

import java.util.List;
import java.util.Map;

/**
 * A user's usage in one period, as the HTTP API returns it. Instants are ISO-8601 strings in UTC.
 *
 * @param percentUsed totalTokens as a percentage of limit, rounded to two decimals; may exceed 100
 * @param remainingTokens tokens left before the limit, never negative
 * @param costDollars estimated cost of the priced requests in US dollars, six decimals, or null when
 *     there are requests and none of them has a known price
 * @param unpricedRequests requests without a known price, which costDollars leaves out
 * @param byModel usage per model id
 * @param byProvider usage per inference provider, in the same shape as byModel
 * @param thresholdsPercent the plan's alert thresholds in percent of the limit, ascending
 * @param alertedThresholds thresholds that have raised an alert in the period since its last reset, ascending
 * @param hardStopPercent percent of the limit past which applications should stop sending, or null for none
 * @param timeZone IANA time zone of the calendar that laid out the period
 */
public record UsageView(
    String userId,
    String period,
    String periodStart,
    String periodEnd,
    long requests,
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long limit,
    double percentUsed,
    long remainingTokens,
    String costDollars,
    long unpricedRequests,
    Map<String, ModelTotals> byModel,
    Map<String, ModelTotals> byProvider,
    List<Integer> thresholdsPercent,
    List<Integer> alertedThresholds,
    Integer hardStopPercent,
    String timeZone) {

    /** Usage of one model, or one provider, within the period. */
    public record ModelTotals(long requests, long promptTokens, long completionTokens, long totalTokens,
                              String costDollars, long unpricedRequests) {
    }
}
