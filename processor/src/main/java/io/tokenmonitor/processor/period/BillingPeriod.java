package io.tokenmonitor.processor.period;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A calendar month in UTC, the billing period of every user.
 *
 * @param month the calendar month
 */
public record BillingPeriod(YearMonth month) {

    private static final Pattern NAME_PATTERN = Pattern.compile("\\d{4}-\\d{2}");
    private static final DateTimeFormatter NAME_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM");

    /** Returns the period that contains an instant. */
    public static BillingPeriod containing(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    /**
     * Parses a period name of the form {@code YYYY-MM}.
     *
     * @throws IllegalArgumentException if the name is not a valid month
     */
    public static BillingPeriod parse(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid period '" + name + "': expected YYYY-MM, for example 2026-12");
        }
        try {
            return new BillingPeriod(YearMonth.parse(name, NAME_FORMAT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid period '" + name + "': month must be 01 to 12", e);
        }
    }

    /** Returns the name of the period, {@code YYYY-MM}. */
    public String name() {
        return month.format(NAME_FORMAT);
    }

    /** Returns the first instant of the period, inclusive. */
    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Returns the first instant after the period, exclusive. */
    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
