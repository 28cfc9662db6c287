package io.tokenmonitor.processor.plan;

import io.tokenmonitor.processor.period.BillingCalendar;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UserPlan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Rules of user plans: which plan applies, which period an instant belongs to, and what a valid plan is.
 */
public final class Plans {

    /** Largest threshold or hard stop accepted, in percent of the limit. */
    public static final int MAX_PERCENT = 1000;

    private Plans() {
    }

    /** Returns the calendar of a plan. */
    public static BillingCalendar calendarOf(UserPlan plan) {
        return BillingCalendar.of(plan.getTimeZone(), plan.getAnchorDay());
    }

    /**
     * Returns the period that contains an instant under a plan state. Before
     * {@code layoutEffectiveFrom}, the previous calendar applies. The first period of the new calendar
     * starts at {@code layoutEffectiveFrom}, so it may be shorter than a month, and is named by the local
     * date of that instant in the new time zone.
     */
    public static BillingPeriod periodContaining(PlanState state, Instant instant) {
        BillingCalendar current = calendarOf(state.getPlan());
        Instant effectiveFrom = state.getLayoutEffectiveFrom();
        if (effectiveFrom == null) {
            return current.periodContaining(instant);
        }
        if (instant.isBefore(effectiveFrom)) {
            return previousCalendarOf(state).periodContaining(instant);
        }
        BillingPeriod period = current.periodContaining(instant);
        if (period.start().isBefore(effectiveFrom)) {
            return new BillingPeriod(effectiveFrom.atZone(current.zone()).toLocalDate(), effectiveFrom, period.end());
        }
        return period;
    }

    /**
     * Returns the calendar that lays out the period containing an instant: the previous calendar before
     * {@code layoutEffectiveFrom}, the plan's own calendar from then on.
     */
    public static BillingCalendar calendarAt(PlanState state, Instant instant) {
        Instant effectiveFrom = state.getLayoutEffectiveFrom();
        if (effectiveFrom != null && instant.isBefore(effectiveFrom)) {
            return previousCalendarOf(state);
        }
        return calendarOf(state.getPlan());
    }

    /**
     * Returns the period with a name under a plan state: a start date {@code YYYY-MM-DD}, or a month
     * {@code YYYY-MM} for the period that starts in it. Around a change of calendar, periods of the previous
     * calendar that start before {@code layoutEffectiveFrom}, the first period of the new calendar, and the
     * new calendar's periods after it all resolve.
     *
     * @throws IllegalArgumentException if the name is malformed or no period of the user starts then
     */
    public static BillingPeriod periodNamed(PlanState state, String name) {
        BillingCalendar current = calendarOf(state.getPlan());
        Instant effectiveFrom = state.getLayoutEffectiveFrom();
        if (effectiveFrom == null) {
            return current.periodNamed(name);
        }
        BillingPeriod first = periodContaining(state, effectiveFrom);
        boolean isMonth = name != null && name.length() == "YYYY-MM".length();
        if (name != null && (name.equals(first.name()) || isMonth && first.name().startsWith(name + "-"))) {
            return first;
        }
        Optional<BillingPeriod> before = tryNamed(previousCalendarOf(state), name)
            .filter(period -> period.start().isBefore(effectiveFrom));
        if (before.isPresent()) {
            return before.get();
        }
        Optional<BillingPeriod> after = tryNamed(current, name)
            .filter(period -> period.start().isAfter(effectiveFrom));
        if (after.isPresent()) {
            return after.get();
        }
        // A malformed name gets the calendar's own error; a well-formed one names no period of this user.
        if (tryNamed(previousCalendarOf(state), name).isEmpty()) {
            current.periodNamed(name);
        }
        throw new IllegalArgumentException("No billing period of this user is named '" + name + "': the calendar "
            + "changed at " + effectiveFrom);
    }

    private static Optional<BillingPeriod> tryNamed(BillingCalendar calendar, String name) {
        try {
            return Optional.of(calendar.periodNamed(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Returns the calendar in force before {@code layoutEffectiveFrom}; only valid when that is set. */
    static BillingCalendar previousCalendarOf(PlanState state) {
        return BillingCalendar.of(state.getPreviousTimeZone(), state.getPreviousAnchorDay());
    }

    /** Returns whether two plans lay out periods differently. */
    public static boolean layoutDiffers(UserPlan a, UserPlan b) {
        return !calendarOf(a).equals(calendarOf(b));
    }

    /** Returns a description of what is wrong with a plan, or null when it is valid. */
    public static String findProblem(UserPlan plan) {
        if (plan.getMonthlyTokenLimit() <= 0) {
            return "monthlyTokenLimit must be positive, got " + plan.getMonthlyTokenLimit();
        }
        List<Integer> thresholds = plan.getThresholdsPercent();
        if (thresholds.isEmpty()) {
            return "thresholdsPercent must not be empty";
        }
        if (new HashSet<>(thresholds).size() != thresholds.size()) {
            return "thresholdsPercent contains duplicates: " + thresholds;
        }
        for (int threshold : thresholds) {
            if (threshold < 1 || threshold > MAX_PERCENT) {
                return "threshold " + threshold + " is outside 1 to " + MAX_PERCENT;
            }
        }
        Integer hardStop = plan.getHardStopPercent();
        if (hardStop != null && (hardStop < 1 || hardStop > MAX_PERCENT)) {
            return "hardStopPercent " + hardStop + " is outside 1 to " + MAX_PERCENT;
        }
        if (plan.getAnchorDay() < 1 || plan.getAnchorDay() > 31) {
            return "anchorDay must be 1 to 31, got " + plan.getAnchorDay();
        }
        if (!ZoneId.getAvailableZoneIds().contains(plan.getTimeZone())) {
            return "timeZone '" + plan.getTimeZone() + "' is not an IANA time zone id such as Europe/Paris";
        }
        return null;
    }
}
