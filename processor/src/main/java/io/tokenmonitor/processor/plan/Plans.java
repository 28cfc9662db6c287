package io.tokenmonitor.processor.plan;

import io.tokenmonitor.processor.period.BillingCalendar;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UserPlan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;

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
        try {
            ZoneId.of(plan.getTimeZone());
        } catch (RuntimeException e) {
            return "timeZone '" + plan.getTimeZone() + "' is not a known IANA time zone";
        }
        return null;
    }
}
