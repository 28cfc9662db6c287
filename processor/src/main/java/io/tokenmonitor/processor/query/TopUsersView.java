package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * The users with the most tokens in a period, highest totalTokens first, as the HTTP API returns them.
 *
 * @param period the period as requested: a start date {@code YYYY-MM-DD} or a month {@code YYYY-MM}
 */
public record TopUsersView(String period, List<TopUser> users) {

    /**
     * One user's totals in the period.
     *
     * @param percentUsed totalTokens as a percentage of limit, rounded to two decimals
     * @param costDollars estimated cost in US dollars, six decimals, or null when no request has a known price
     */
    public record TopUser(String userId, long requests, long totalTokens, long limit, double percentUsed,
                          String costDollars) {
    }
}
