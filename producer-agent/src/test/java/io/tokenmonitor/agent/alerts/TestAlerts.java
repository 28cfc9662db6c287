package io.tokenmonitor.agent.alerts;

import io.tokenmonitor.schema.UsageAlert;
import java.time.Instant;

/** Builders of UsageAlerts with defaults. */
final class TestAlerts {

    private TestAlerts() {
    }

    static UsageAlert alert(String alertId, int thresholdPercent) {
        return UsageAlert.newBuilder()
            .setAlertId(alertId)
            .setUserId("alice")
            .setPeriod("2025-09")
            .setPeriodStart(Instant.parse("2025-09-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2025-10-01T00:00:00Z"))
            .setThresholdPercent(thresholdPercent)
            .setLimit(1_000_000L)
            .setTotalTokens(800_123L)
            .setTimestamp(Instant.parse("2025-09-15T10:00:00.250Z"))
            .setRequestId("r-9")
            .build();
    }
}
