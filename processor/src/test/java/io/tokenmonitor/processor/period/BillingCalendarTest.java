package io.tokenmonitor.processor.period;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;

/**
 * Expected instants in these tables were worked out by hand from each zone's offsets in the IANA time zone
 * database, version 2025b, never by calling the code under test. NOTE: rows for 2026 to 2028 assume the
 * rules of that version, so a later release that changes one of these zones will fail them.
 *
 * <p>Offsets used:
 * <ul>
 *   <li>America/New_York: -05:00, and -04:00 from 2026-03-08 02:00 to 2026-11-01 02:00 local.</li>
 *   <li>Europe/Paris: +01:00, and +02:00 from 2026-03-29 01:00Z to 2026-10-25 01:00Z and from
 *       2027-03-28 01:00Z.</li>
 *   <li>Asia/Kolkata: +05:30 all year.</li>
 *   <li>Pacific/Chatham: +13:45 until 2026-04-05 and from 2026-09-27, +12:45 between; in 2028 +13:45 until
 *       April.</li>
 *   <li>Pacific/Apia: -10:00 until 2011-12-29 24:00 local, then +14:00 (so 2011-12-30 never happened there)
 *       until April 2012, and +13:00 all year since 2021.</li>
 *   <li>America/St_Johns in 2009: -02:30 until 2009-11-01 00:01 local, when clocks went back to 2009-10-31
 *       23:01 at -03:30, so the last hour of October happened again after November had started.</li>
 * </ul>
 */
class BillingCalendarTest {

    private static final Duration ONE_MS = Duration.ofMillis(1);

    @ParameterizedTest(name = "anchor {0} in {1} starts on {2}")
    @CsvSource({
        "1,  2026-02, 2026-02-01",
        "15, 2026-02, 2026-02-15",
        "15, 2028-02, 2028-02-15",
        "28, 2026-02, 2026-02-28",
        "28, 2028-02, 2028-02-28",
        "29, 2026-02, 2026-02-28",
        "29, 2027-02, 2027-02-28",
        "29, 2028-02, 2028-02-29",
        "29, 2028-03, 2028-03-29",
        "30, 2026-02, 2026-02-28",
        "30, 2027-02, 2027-02-28",
        "30, 2028-02, 2028-02-29",
        "30, 2026-03, 2026-03-30",
        "30, 2026-04, 2026-04-30",
        "31, 2026-01, 2026-01-31",
        "31, 2026-02, 2026-02-28",
        "31, 2026-03, 2026-03-31",
        "31, 2026-04, 2026-04-30",
        "31, 2026-05, 2026-05-31",
        "31, 2026-06, 2026-06-30",
        "31, 2026-09, 2026-09-30",
        "31, 2026-11, 2026-11-30",
        "31, 2026-12, 2026-12-31",
        "31, 2027-02, 2027-02-28",
        "31, 2027-03, 2027-03-31",
        "31, 2028-02, 2028-02-29",
        "31, 2028-03, 2028-03-31",
    })
    void shouldClampAnchorToMonthEnd(int anchorDay, YearMonth month, LocalDate expectedStartDate) {
        BillingCalendar calendar = new BillingCalendar(ZoneId.of("UTC"), anchorDay);

        assertEquals(expectedStartDate, calendar.anchorDate(month));
        assertEquals(expectedStartDate.toString(), calendar.periodNamed(month.toString()).name());
        assertEquals(expectedStartDate, calendar.periodStartingOn(expectedStartDate).startDate());
    }

    @ParameterizedTest(name = "{0} anchor {1}: {2} is in {3}")
    @CsvSource({
        "UTC, 1,  2026-02-14T12:00:00Z,     2026-02-01",
        "UTC, 15, 2026-02-14T23:59:59.999Z, 2026-01-15",
        "UTC, 15, 2026-02-15T00:00:00Z,     2026-02-15",
        "UTC, 15, 2026-12-31T23:59:59.999Z, 2026-12-15",
        "UTC, 28, 2027-02-28T00:00:00Z,     2027-02-28",
        "UTC, 28, 2028-02-29T12:00:00Z,     2028-02-28",
        "UTC, 29, 2027-02-28T12:00:00Z,     2027-02-28",
        "UTC, 29, 2027-03-28T23:59:59.999Z, 2027-02-28",
        "UTC, 29, 2028-02-28T12:00:00Z,     2028-01-29",
        "UTC, 29, 2028-02-29T00:00:00Z,     2028-02-29",
        "UTC, 30, 2026-03-01T00:00:00Z,     2026-02-28",
        "UTC, 30, 2026-04-30T00:00:00Z,     2026-04-30",
        "UTC, 30, 2026-05-29T23:00:00Z,     2026-04-30",
        "UTC, 30, 2028-03-29T23:59:59.999Z, 2028-02-29",
        "UTC, 31, 2026-03-30T12:00:00Z,     2026-02-28",
        "UTC, 31, 2026-03-31T00:00:00Z,     2026-03-31",
        "UTC, 31, 2026-04-30T00:00:00Z,     2026-04-30",
        "UTC, 31, 2026-05-30T23:59:59.999Z, 2026-04-30",
        "UTC, 31, 2027-12-31T23:00:00Z,     2027-12-31",
        "UTC, 31, 2028-01-01T00:00:00Z,     2027-12-31",
        "UTC, 31, 2028-03-30T23:59:59.999Z, 2028-02-29",
        "America/New_York, 1, 2026-03-01T03:00:00Z, 2026-02-01",
        "America/New_York, 1, 2026-11-01T05:30:00Z, 2026-11-01",
        "Europe/Paris,     1, 2026-12-31T23:30:00Z, 2027-01-01",
        "Asia/Kolkata,     1, 2025-12-31T18:29:59.999Z, 2025-12-01",
        "Asia/Kolkata,     1, 2025-12-31T20:00:00Z,     2026-01-01",
        "Pacific/Chatham,  1, 2026-06-30T11:14:59.999Z, 2026-06-01",
        "Pacific/Chatham,  1, 2026-06-30T12:00:00Z,     2026-07-01",
        "Pacific/Apia,    31, 2011-12-30T09:59:59.999Z, 2011-11-30",
        "Pacific/Apia,    30, 2011-12-30T10:00:00Z,     2011-12-30",
        "Pacific/Apia,     1, 2026-01-31T10:59:59.999Z, 2026-01-01",
    })
    void shouldFindPeriodContainingInstant(ZoneId zone, int anchorDay, Instant instant, String expectedName) {
        BillingPeriod period = new BillingCalendar(zone, anchorDay).periodContaining(instant);

        assertEquals(expectedName, period.name());
        assertTrue(period.contains(instant), () -> period + " does not contain " + instant);
    }

    @ParameterizedTest(name = "{0} anchor {1}: {2} is [{3}, {4})")
    @CsvSource({
        "UTC,               1, 2026-01-01, 2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z",
        "UTC,              31, 2027-02-28, 2027-02-28T00:00:00Z, 2027-03-31T00:00:00Z",
        "America/New_York, 15, 2026-02-15, 2026-02-15T05:00:00Z, 2026-03-15T04:00:00Z",
        "America/New_York, 15, 2026-10-15, 2026-10-15T04:00:00Z, 2026-11-15T05:00:00Z",
        "America/New_York,  1, 2026-11-01, 2026-11-01T04:00:00Z, 2026-12-01T05:00:00Z",
        "America/New_York,  8, 2026-03-08, 2026-03-08T05:00:00Z, 2026-04-08T04:00:00Z",
        "America/New_York, 31, 2028-02-29, 2028-02-29T05:00:00Z, 2028-03-31T04:00:00Z",
        "Europe/Paris,     15, 2026-03-15, 2026-03-14T23:00:00Z, 2026-04-14T22:00:00Z",
        "Europe/Paris,     31, 2026-03-31, 2026-03-30T22:00:00Z, 2026-04-29T22:00:00Z",
        "Europe/Paris,      1, 2026-10-01, 2026-09-30T22:00:00Z, 2026-10-31T23:00:00Z",
        "Europe/Paris,     28, 2027-03-28, 2027-03-27T23:00:00Z, 2027-04-27T22:00:00Z",
        "Asia/Kolkata,      1, 2026-01-01, 2025-12-31T18:30:00Z, 2026-01-31T18:30:00Z",
        "Asia/Kolkata,     31, 2028-02-29, 2028-02-28T18:30:00Z, 2028-03-30T18:30:00Z",
        "Pacific/Chatham,   1, 2026-04-01, 2026-03-31T10:15:00Z, 2026-04-30T11:15:00Z",
        "Pacific/Chatham,  15, 2026-09-15, 2026-09-14T11:15:00Z, 2026-10-14T10:15:00Z",
        "Pacific/Chatham,  31, 2028-02-29, 2028-02-28T10:15:00Z, 2028-03-30T10:15:00Z",
        "Pacific/Apia,      1, 2026-01-01, 2025-12-31T11:00:00Z, 2026-01-31T11:00:00Z",
        "Pacific/Apia,     29, 2011-12-29, 2011-12-29T10:00:00Z, 2012-01-28T10:00:00Z",
        "Pacific/Apia,     30, 2011-11-30, 2011-11-30T10:00:00Z, 2011-12-30T10:00:00Z",
        "Pacific/Apia,     30, 2011-12-30, 2011-12-30T10:00:00Z, 2012-01-29T10:00:00Z",
        "Pacific/Apia,     31, 2011-12-31, 2011-12-30T10:00:00Z, 2012-01-30T10:00:00Z",
    })
    void shouldStartAndEndPeriodAtLocalMidnight(
            ZoneId zone, int anchorDay, String name, Instant expectedStart, Instant expectedEnd) {
        BillingCalendar calendar = new BillingCalendar(zone, anchorDay);

        BillingPeriod period = calendar.periodNamed(name);

        assertEquals(name, period.name());
        assertEquals(expectedStart, period.start());
        assertEquals(expectedEnd, period.end());
        assertEquals(period, calendar.periodContaining(expectedStart));
        assertEquals(period, calendar.periodContaining(expectedEnd.minus(ONE_MS)));
    }

    @ParameterizedTest(name = "{0} anchor {1}: {3} ends and {4} starts at {2}")
    @CsvSource({
        "UTC,               1, 2026-02-01T00:00:00Z, 2026-01-01, 2026-02-01",
        "UTC,               1, 2027-01-01T00:00:00Z, 2026-12-01, 2027-01-01",
        "UTC,              15, 2027-01-15T00:00:00Z, 2026-12-15, 2027-01-15",
        "UTC,              29, 2027-03-29T00:00:00Z, 2027-02-28, 2027-03-29",
        "UTC,              30, 2028-03-30T00:00:00Z, 2028-02-29, 2028-03-30",
        "UTC,              31, 2026-02-28T00:00:00Z, 2026-01-31, 2026-02-28",
        "UTC,              31, 2026-03-31T00:00:00Z, 2026-02-28, 2026-03-31",
        "UTC,              31, 2028-02-29T00:00:00Z, 2028-01-31, 2028-02-29",
        "America/New_York, 15, 2026-02-15T05:00:00Z, 2026-01-15, 2026-02-15",
        "America/New_York, 15, 2026-03-15T04:00:00Z, 2026-02-15, 2026-03-15",
        "America/New_York,  8, 2026-03-08T05:00:00Z, 2026-02-08, 2026-03-08",
        "America/New_York,  1, 2026-11-01T04:00:00Z, 2026-10-01, 2026-11-01",
        "America/New_York,  1, 2026-12-01T05:00:00Z, 2026-11-01, 2026-12-01",
        "America/New_York, 31, 2028-02-29T05:00:00Z, 2028-01-31, 2028-02-29",
        "Europe/Paris,     15, 2026-03-14T23:00:00Z, 2026-02-15, 2026-03-15",
        "Europe/Paris,     15, 2026-04-14T22:00:00Z, 2026-03-15, 2026-04-15",
        "Europe/Paris,     31, 2026-03-30T22:00:00Z, 2026-02-28, 2026-03-31",
        "Europe/Paris,      1, 2026-10-31T23:00:00Z, 2026-10-01, 2026-11-01",
        "Europe/Paris,     28, 2027-03-27T23:00:00Z, 2027-02-28, 2027-03-28",
        "Asia/Kolkata,      1, 2025-12-31T18:30:00Z, 2025-12-01, 2026-01-01",
        "Asia/Kolkata,     30, 2026-04-29T18:30:00Z, 2026-03-30, 2026-04-30",
        "Asia/Kolkata,     31, 2028-02-28T18:30:00Z, 2028-01-31, 2028-02-29",
        "Pacific/Chatham,   1, 2026-03-31T10:15:00Z, 2026-03-01, 2026-04-01",
        "Pacific/Chatham,   1, 2026-04-30T11:15:00Z, 2026-04-01, 2026-05-01",
        "Pacific/Chatham,  15, 2026-09-14T11:15:00Z, 2026-08-15, 2026-09-15",
        "Pacific/Chatham,  15, 2026-10-14T10:15:00Z, 2026-09-15, 2026-10-15",
        "Pacific/Apia,      1, 2026-01-31T11:00:00Z, 2026-01-01, 2026-02-01",
        "Pacific/Apia,     29, 2011-12-29T10:00:00Z, 2011-11-29, 2011-12-29",
        "Pacific/Apia,     29, 2012-01-28T10:00:00Z, 2011-12-29, 2012-01-29",
        "Pacific/Apia,     30, 2011-12-30T10:00:00Z, 2011-11-30, 2011-12-30",
        "Pacific/Apia,     31, 2011-12-30T10:00:00Z, 2011-11-30, 2011-12-31",
    })
    void shouldSwitchPeriodExactlyAtBoundary(
            ZoneId zone, int anchorDay, Instant boundary, String nameBefore, String nameAfter) {
        BillingCalendar calendar = new BillingCalendar(zone, anchorDay);

        BillingPeriod before = calendar.periodContaining(boundary.minus(ONE_MS));
        BillingPeriod after = calendar.periodContaining(boundary);

        assertEquals(nameBefore, before.name());
        assertEquals(nameAfter, after.name());
        assertEquals(boundary, before.end());
        assertEquals(boundary, after.start());
    }

    /**
     * A period with a daylight-saving change inside it is one hour shorter or longer than its calendar days,
     * while its start and end both stay at local midnight on the anchor days. The UTC and Kolkata rows have
     * no change and keep exactly 24 hours a day.
     */
    @ParameterizedTest(name = "{0} anchor {1}: {2} lasts {3} h and ends on {4}")
    @CsvSource({
        "America/New_York, 15, 2026-02-15, 671, 2026-03-15",
        "America/New_York,  8, 2026-03-08, 743, 2026-04-08",
        "America/New_York, 15, 2026-10-15, 745, 2026-11-15",
        "America/New_York,  1, 2026-11-01, 721, 2026-12-01",
        "Europe/Paris,     15, 2026-03-15, 743, 2026-04-15",
        "Europe/Paris,     28, 2027-03-28, 743, 2027-04-28",
        "Europe/Paris,      1, 2026-10-01, 745, 2026-11-01",
        "Europe/Paris,     31, 2026-09-30, 745, 2026-10-31",
        "Pacific/Chatham,   1, 2026-04-01, 721, 2026-05-01",
        "Pacific/Chatham,  15, 2026-09-15, 719, 2026-10-15",
        "America/St_Johns,  1, 2009-11-01, 721, 2009-12-01",
        "UTC,              31, 2026-02-28, 744, 2026-03-31",
        "Asia/Kolkata,     15, 2026-03-15, 744, 2026-04-15",
    })
    void shouldKeepLocalMidnightAcrossDaylightSaving(
            ZoneId zone, int anchorDay, LocalDate startDate, long expectedHours, LocalDate expectedEndDate) {
        BillingPeriod period = new BillingCalendar(zone, anchorDay).periodStartingOn(startDate);

        assertEquals(Duration.ofHours(expectedHours), Duration.between(period.start(), period.end()));
        assertEquals(startDate.atStartOfDay(), LocalDateTime.ofInstant(period.start(), zone));
        assertEquals(expectedEndDate.atStartOfDay(), LocalDateTime.ofInstant(period.end(), zone));
    }

    /**
     * Samoa skipped 2011-12-30: its clocks went from 2011-12-29 24:00 at -10:00 straight to 2011-12-31 00:00 at
     * +14:00, the instant 2011-12-30T10:00Z. The anchor-30 period of December therefore starts at that instant,
     * the first one after the gap, which is also where the anchor-31 period starts.
     *
     * <p>The period keeps its anchor date as its name, 2011-12-30, although its first local date is 2011-12-31.
     * That way each month has exactly one name per calendar, {@code periodNamed(period.name())} returns the
     * period again, and the name does not collide with the anchor-31 period 2011-12-31.
     */
    @Test
    void shouldStartSkippedDayPeriodAfterGap() {
        ZoneId apia = ZoneId.of("Pacific/Apia");
        BillingCalendar calendar = new BillingCalendar(apia, 30);
        Instant firstInstantAfterGap = Instant.parse("2011-12-30T10:00:00Z");

        BillingPeriod period = calendar.periodNamed("2011-12");

        assertEquals(firstInstantAfterGap, period.start());
        assertEquals(LocalDateTime.parse("2011-12-31T00:00"), LocalDateTime.ofInstant(period.start(), apia));
        assertEquals(Instant.parse("2012-01-29T10:00:00Z"), period.end());
        assertEquals(LocalDate.parse("2011-12-30"), period.startDate());
        assertEquals("2011-12-30", period.name());
        assertEquals(period, calendar.periodNamed("2011-12-30"));
        assertEquals(period, calendar.periodContaining(firstInstantAfterGap));
    }

    @Test
    void shouldRejectLocalDateNameOfSkippedDay() {
        BillingCalendar calendar = BillingCalendar.of("Pacific/Apia", 30);

        IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> calendar.periodNamed("2011-12-31"));

        assertTrue(error.getMessage().contains("No billing period starts on 2011-12-31"), error.getMessage());
    }

    @Test
    void shouldShortenPeriodsAroundSkippedDay() {
        BillingCalendar anchor29 = BillingCalendar.of("Pacific/Apia", 29);
        BillingCalendar anchor31 = BillingCalendar.of("Pacific/Apia", 31);

        BillingPeriod december29 = anchor29.periodNamed("2011-12-29");
        BillingPeriod november30 = anchor31.periodNamed("2011-11-30");

        // Both periods span 31 local calendar days, of which 2011-12-30 never happened.
        assertEquals(Duration.ofDays(30), Duration.between(december29.start(), december29.end()));
        assertEquals(Duration.ofDays(30), Duration.between(november30.start(), november30.end()));
    }

    @ParameterizedTest(name = "{0} anchor {1}: {2} names {3}")
    @CsvSource({
        "UTC,              1,  2026-02-01, 2026-02-01",
        "UTC,              1,  2026-02,    2026-02-01",
        "UTC,              15, 2026-12,    2026-12-15",
        "UTC,              31, 2026-02,    2026-02-28",
        "UTC,              31, 2026-02-28, 2026-02-28",
        "UTC,              31, 2028-02,    2028-02-29",
        "UTC,              31, 2028-02-29, 2028-02-29",
        "UTC,              30, 2026-04-30, 2026-04-30",
        "Asia/Kolkata,     29, 2027-02,    2027-02-28",
        "Pacific/Apia,     30, 2011-12,    2011-12-30",
    })
    void shouldResolvePeriodNames(ZoneId zone, int anchorDay, String name, LocalDate expectedStartDate) {
        BillingPeriod period = new BillingCalendar(zone, anchorDay).periodNamed(name);

        assertEquals(expectedStartDate, period.startDate());
    }

    @ParameterizedTest(name = "anchor {0}: ''{1}'' is rejected with ''{2}''")
    @CsvSource({
        "15, 2026-13,          'Invalid period ''2026-13'': month must be 01 to 12'",
        "15, 2026-00,          'Invalid period ''2026-00'': month must be 01 to 12'",
        "15, 2026-02-30,       'Invalid period ''2026-02-30'': not a calendar date'",
        "15, 2026-02-29,       'Invalid period ''2026-02-29'': not a calendar date'",
        "15, 2026-2,           'Invalid period ''2026-2'': expected YYYY-MM-DD'",
        "15, garbage,          'Invalid period ''garbage'': expected YYYY-MM-DD'",
        "15, '',               'Invalid period '''': expected YYYY-MM-DD'",
        "15, ' 2026-02',       'Invalid period '' 2026-02'': expected YYYY-MM-DD'",
        "15, 2026-02-15T00:00, 'Invalid period ''2026-02-15T00:00'': expected YYYY-MM-DD'",
        "15, 2026-02-14,       'No billing period starts on 2026-02-14: periods start on day 15'",
        "31, 2028-02-28,       'No billing period starts on 2028-02-28: periods start on day 31'",
        "31, 2026-04-31,       'Invalid period ''2026-04-31'': not a calendar date'",
    })
    void shouldRejectInvalidPeriodNames(int anchorDay, String name, String expectedMessageStart) {
        BillingCalendar calendar = new BillingCalendar(ZoneId.of("UTC"), anchorDay);

        IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> calendar.periodNamed(name));

        assertTrue(error.getMessage().startsWith(expectedMessageStart), error.getMessage());
    }

    @ParameterizedTest
    @NullSource
    void shouldRejectMissingPeriodName(String name) {
        IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> BillingCalendar.UTC_MONTHS.periodNamed(name));

        assertTrue(error.getMessage().startsWith("Invalid period 'null'"), error.getMessage());
    }

    /**
     * In St. John's, 2009-11-01 00:00 at -02:30 starts the November period. One minute later the clocks went
     * back to 2009-10-31 23:01 at -03:30, so for the next hour the local date is October again while the
     * instants are already inside the November period.
     */
    @ParameterizedTest(name = "{0} is in 2009-11-01")
    @CsvSource({
        "2009-11-01T02:30:00Z",
        "2009-11-01T02:31:00Z",
        "2009-11-01T03:29:59.999Z",
        "2009-11-01T03:30:00Z",
    })
    void shouldFindPeriodAfterMidnightFallBack(Instant instant) {
        BillingCalendar calendar = BillingCalendar.of("America/St_Johns", 1);

        BillingPeriod period = calendar.periodContaining(instant);

        assertEquals("2009-11-01", period.name());
        assertEquals(Instant.parse("2009-11-01T02:30:00Z"), period.start());
        assertEquals(Instant.parse("2009-12-01T03:30:00Z"), period.end());
    }

    @Test
    void shouldUseCalendarMonthsInUtcByDefault() {
        BillingPeriod period = BillingCalendar.UTC_MONTHS.periodContaining(Instant.parse("2026-02-14T12:00:00Z"));

        assertEquals("2026-02-01", period.name());
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), period.start());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), period.end());
    }

    @ParameterizedTest(name = "anchor day {0}")
    @CsvSource({"0", "32", "-1"})
    void shouldRejectAnchorDayOutsideMonth(int anchorDay) {
        assertThrows(IllegalArgumentException.class, () -> BillingCalendar.of("UTC", anchorDay));
    }

    @Test
    void shouldRejectUnknownZone() {
        IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> BillingCalendar.of("Mars/Olympus_Mons", 1));

        assertTrue(error.getMessage().contains("'Mars/Olympus_Mons'"), error.getMessage());
    }

    static Stream<Arguments> calendarsToTile() {
        List<String> zones = List.of(
            "UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata", "Pacific/Chatham", "Pacific/Apia");
        List<Arguments> calendars = new ArrayList<>();
        for (String zone : zones) {
            for (int anchorDay : new int[] {1, 15, 28, 29, 30, 31}) {
                calendars.add(Arguments.of(zone, anchorDay, YearMonth.of(2026, 1)));
            }
        }
        for (int anchorDay : new int[] {1, 29, 30, 31}) {
            calendars.add(Arguments.of("Pacific/Apia", anchorDay, YearMonth.of(2010, 6)));
        }
        return calendars.stream();
    }

    /**
     * Walks 36 consecutive periods. Each must end where the next starts, and the calendar must map both its
     * first and its last millisecond back to it.
     */
    @ParameterizedTest(name = "{0} anchor {1} from {2}")
    @MethodSource("calendarsToTile")
    void shouldTileTimeWithoutGapsOrOverlaps(String zone, int anchorDay, YearMonth firstMonth) {
        BillingCalendar calendar = BillingCalendar.of(zone, anchorDay);
        BillingPeriod period = calendar.periodNamed(firstMonth.toString());

        for (int i = 1; i <= 36; i++) {
            YearMonth nextMonth = firstMonth.plusMonths(i);
            BillingPeriod next = calendar.periodNamed(nextMonth.toString());
            String where = "after period " + period.name();

            assertEquals(nextMonth, YearMonth.from(next.startDate()), where);
            assertEquals(period.end(), next.start(), where);
            assertTrue(period.start().isBefore(period.end()), where);
            assertEquals(period, calendar.periodContaining(period.start()), where);
            assertEquals(period, calendar.periodContaining(period.end().minus(ONE_MS)), where);
            assertEquals(period, calendar.periodNamed(period.name()), where);

            period = next;
        }
    }
}
