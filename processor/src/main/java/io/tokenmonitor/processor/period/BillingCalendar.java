package io.tokenmonitor.processor.period;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * The layout of a user's billing periods: each period starts at 00:00 local time in {@code zone} on the
 * anchor day of a month and ends where the next one starts. An anchor day past the end of a month means
 * that month's last day, so anchor 31 gives February 28 or 29, then March 31 again.
 *
 * <p>Boundaries are computed as local dates and turned into instants with the zone's rules, so a period
 * that contains a daylight-saving change is an hour shorter or longer in absolute time and exactly a
 * month in wall-clock time. When 00:00 does not exist on a day (a transition at midnight, or a day the
 * zone skipped), the period starts at the first valid instant after the gap. When 00:00 happens twice
 * (clocks set back across midnight), the period starts at the first one.
 *
 * @param zone the time zone of the calendar
 * @param anchorDay day of the month periods start on, 1 to 31
 */
public record BillingCalendar(ZoneId zone, int anchorDay) {

    private static final Pattern MONTH_NAME = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DATE_NAME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Calendar months in UTC starting on the 1st, the layout of the default plan. */
    public static final BillingCalendar UTC_MONTHS = new BillingCalendar(ZoneId.of("UTC"), 1);

    public BillingCalendar {
        if (anchorDay < 1 || anchorDay > 31) {
            throw new IllegalArgumentException("Anchor day must be 1 to 31, got " + anchorDay);
        }
    }

    /**
     * Creates a calendar from an IANA zone id and an anchor day.
     *
     * @throws IllegalArgumentException if the zone id is unknown or the anchor day is not 1 to 31
     */
    public static BillingCalendar of(String zoneId, int anchorDay) {
        try {
            return new BillingCalendar(ZoneId.of(zoneId), anchorDay);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + zoneId + "': expected an IANA id such as "
                + "Europe/Paris", e);
        }
    }

    /** Returns the period that contains an instant. */
    public BillingPeriod periodContaining(Instant instant) {
        YearMonth month = YearMonth.from(instant.atZone(zone));
        LocalDate startDate = anchorDate(month);
        if (startOf(startDate).isAfter(instant)) {
            startDate = anchorDate(month.minusMonths(1));
        }
        BillingPeriod period = periodStartingOn(startDate);

        // Clocks set back across midnight (America/St_Johns on 2009-11-01) show the old month's local date
        // for a while after the next period has started.
        if (!period.contains(instant)) {
            period = periodStartingOn(anchorDate(YearMonth.from(startDate).plusMonths(1)));
        }
        return period;
    }

    /**
     * Returns the period that starts on a local date.
     *
     * @throws IllegalArgumentException if no period of this calendar starts on that date
     */
    public BillingPeriod periodStartingOn(LocalDate startDate) {
        YearMonth month = YearMonth.from(startDate);
        if (!anchorDate(month).equals(startDate)) {
            throw new IllegalArgumentException("No billing period starts on " + startDate + ": periods start on day "
                + anchorDay + " of each month (or the month's last day)");
        }
        LocalDate nextStart = anchorDate(month.plusMonths(1));
        return new BillingPeriod(startDate, startOf(startDate), startOf(nextStart));
    }

    /**
     * Returns the period with a name: its start date {@code YYYY-MM-DD}, or a month {@code YYYY-MM} for the
     * period that starts in that month.
     *
     * @throws IllegalArgumentException if the name is malformed or no period of this calendar starts then
     */
    public BillingPeriod periodNamed(String name) {
        if (name != null && MONTH_NAME.matcher(name).matches()) {
            try {
                return periodStartingOn(anchorDate(YearMonth.parse(name)));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("Invalid period '" + name + "': month must be 01 to 12", e);
            }
        }
        if (name != null && DATE_NAME.matcher(name).matches()) {
            LocalDate date;
            try {
                date = LocalDate.parse(name);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("Invalid period '" + name + "': not a calendar date", e);
            }
            return periodStartingOn(date);
        }
        throw new IllegalArgumentException("Invalid period '" + name + "': expected YYYY-MM-DD (the date the period "
            + "starts) or YYYY-MM, for example 2026-12-01 or 2026-12");
    }

    /** Returns the date a period starts on in a month. */
    public LocalDate anchorDate(YearMonth month) {
        return month.atDay(Math.min(anchorDay, month.lengthOfMonth()));
    }

    private Instant startOf(LocalDate date) {
        return date.atStartOfDay(zone).toInstant();
    }
}
