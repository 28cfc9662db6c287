package io.tokenmonitor.processor.period;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One billing period of one user.
 *
 * @param startDate the nominal local date the period starts on, which also names it ({@code YYYY-MM-DD}).
 *     In the rare zone that skipped that whole day, the period starts at the first instant after the gap
 *     but keeps this date as its name (Pacific/Apia anchor 30: {@code 2011-12-30}, starting at 2011-12-31
 *     00:00 local), so each month still has one name per calendar.
 * @param start first instant of the period, inclusive
 * @param end first instant after the period, exclusive
 */
public record BillingPeriod(LocalDate startDate, Instant start, Instant end) {

    /** Returns the name of the period: its start date, {@code YYYY-MM-DD}. */
    public String name() {
        return startDate.toString();
    }

    /** Returns whether an instant lies in the period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }
}
