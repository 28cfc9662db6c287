package io.tokenmonitor.processor.plan;

import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UserPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of users who have none of their own. By default Hugging Face Pro: 1,000,000 tokens a calendar
 * month in UTC, alerts at 50, 80, 90 and 100 percent.
 *
 * @param thresholdsPercent alert thresholds in percent of the limit, ascending
 * @param hardStopPercent percent past which applications should stop sending, or null for none
 */
public record DefaultPlan(String planName, long monthlyTokenLimit, List<Integer> thresholdsPercent,
                          Integer hardStopPercent, String timeZone, int anchorDay) {

    public static final DefaultPlan HF_PRO = new DefaultPlan("hf-pro", 1_000_000L, List.of(50, 80, 90, 100), null,
        "UTC", 1);

    public DefaultPlan {
        thresholdsPercent = thresholdsPercent.stream().distinct().sorted().toList();
        String problem = Plans.findProblem(buildPlan("default", planName, monthlyTokenLimit, thresholdsPercent,
            hardStopPercent, timeZone, anchorDay));
        if (problem != null) {
            throw new IllegalArgumentException("Invalid default plan: " + problem);
        }
    }

    /** Returns this default as the plan of a user. */
    public UserPlan toPlan(String userId) {
        return buildPlan(userId, planName, monthlyTokenLimit, thresholdsPercent, hardStopPercent, timeZone, anchorDay);
    }

    private static UserPlan buildPlan(String userId, String planName, long monthlyTokenLimit,
                                      List<Integer> thresholdsPercent, Integer hardStopPercent, String timeZone,
                                      int anchorDay) {
        return UserPlan.newBuilder()
            .setUserId(userId)
            .setPlanName(planName)
            .setMonthlyTokenLimit(monthlyTokenLimit)
            .setThresholdsPercent(new ArrayList<>(thresholdsPercent))
            .setHardStopPercent(hardStopPercent)
            .setTimeZone(timeZone)
            .setAnchorDay(anchorDay)
            .setUpdatedAt(Instant.EPOCH)
            .build();
    }

    /** Returns the plan state of a user without a plan of their own. */
    public PlanState toState(String userId) {
        return PlanState.newBuilder().setPlan(toPlan(userId)).build();
    }

    public DefaultPlan withMonthlyTokenLimit(long value) {
        return new DefaultPlan(planName, value, thresholdsPercent, hardStopPercent, timeZone, anchorDay);
    }

    public DefaultPlan withThresholdsPercent(List<Integer> value) {
        return new DefaultPlan(planName, monthlyTokenLimit, value, hardStopPercent, timeZone, anchorDay);
    }

    public DefaultPlan withCalendar(String zone, int day) {
        return new DefaultPlan(planName, monthlyTokenLimit, thresholdsPercent, hardStopPercent, zone, day);
    }
}
