package io.tokenmonitor.processor.topology;

import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.schema.UserPlan;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builders of test plans and resets with sensible defaults.
 */
public final class TestPlans {

    private TestPlans() {
    }

    /** Returns a builder of a plan for a user: 1,000 tokens, alerts at 50 and 100 percent, UTC, anchor 1. */
    public static UserPlan.Builder plan(String userId, Instant updatedAt) {
        return UserPlan.newBuilder()
            .setUserId(userId)
            .setPlanName("test")
            .setMonthlyTokenLimit(1_000)
            .setThresholdsPercent(List.of(50, 100))
            .setHardStopPercent(null)
            .setTimeZone("UTC")
            .setAnchorDay(1)
            .setUpdatedAt(updatedAt);
    }

    /** Returns a reset of a user's period containing an instant. */
    public static UsageReset reset(String userId, Instant requestedAt) {
        return UsageReset.newBuilder()
            .setResetId(UUID.randomUUID().toString())
            .setUserId(userId)
            .setRequestedAt(requestedAt)
            .setRequestedBy("test")
            .build();
    }
}
