package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * A user's usage per local day of one period, as the HTTP API returns it. Instants are ISO-8601 strings in UTC.
 *
 * @param timeZone IANA time zone that dates the days
 * @param days one entry per local date from the period's first to its last, days without requests included
 */
public record DailyUsageView(
    String userId,
    String period,
    String periodStart,
    String periodEnd,
    String timeZone,
    List<Day> days) {

    /**
     * Usage of one local day.
     *
     * @param date the local date, {@code YYYY-MM-DD}
     */
    public record Day(String date, long requests, long totalTokens) {
    }
}
