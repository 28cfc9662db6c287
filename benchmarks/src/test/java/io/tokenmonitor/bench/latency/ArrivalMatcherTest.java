package io.tokenmonitor.bench.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenmonitor.schema.UsageAlert;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalMatcherTest {

    private static final long MILLI = 1_000_000L;

    @Test
    void usageMatchedByRequestId() {
        ArrivalMatcher matcher = new ArrivalMatcher();
        matcher.sent("bench-1", 10 * MILLI);
        matcher.sent("bench-2", 20 * MILLI);

        matcher.usageSeen("bench-2", 25 * MILLI);
        matcher.usageSeen("bench-1", 40 * MILLI);

        assertEquals(2, matcher.usageMatched());
        assertEquals(0, matcher.usageUnmatched());
        assertEquals(5.0, matcher.usageSamples().percentileMs(50));
        assertEquals(30.0, matcher.usageSamples().maxMs());
    }

    @Test
    void usageOfUnsentRequestUnmatched() {
        ArrivalMatcher matcher = new ArrivalMatcher();
        matcher.sent("bench-1", 0);

        matcher.usageSeen("bench-0", MILLI);

        assertEquals(0, matcher.usageMatched());
        assertEquals(1, matcher.usageUnmatched());
        assertEquals(0, matcher.usageSamples().count());
    }

    @Test
    void alertMatchedToCrossingRequest() {
        ArrivalMatcher matcher = new ArrivalMatcher();
        matcher.sent("bench-1", 10 * MILLI);
        matcher.sent("bench-2", 20 * MILLI);

        matcher.alertSeen(alert("bench-2", 50, ArrivalMatcher.REQUEST_CAUSE), 70 * MILLI);
        matcher.alertSeen(alert("bench-2", 80, ArrivalMatcher.REQUEST_CAUSE), 70 * MILLI);

        assertEquals(2, matcher.alertSamples().count());
        assertEquals(50.0, matcher.alertSamples().maxMs());
        assertEquals(1, matcher.alertingRequests());
        assertEquals(0, matcher.alertsUnmatched());
    }

    @Test
    void planChangeAndUnknownAlertsUnmatched() {
        ArrivalMatcher matcher = new ArrivalMatcher();
        matcher.sent("bench-1", 0);

        matcher.alertSeen(alert("bench-1", 50, "plan-change"), MILLI);
        matcher.alertSeen(alert("bench-9", 50, ArrivalMatcher.REQUEST_CAUSE), MILLI);

        assertEquals(0, matcher.alertSamples().count());
        assertEquals(0, matcher.alertingRequests());
        assertEquals(2, matcher.alertsUnmatched());
    }

    private static UsageAlert alert(String requestId, int thresholdPercent, String cause) {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        return UsageAlert.newBuilder()
            .setAlertId("alert-" + requestId + "-" + thresholdPercent)
            .setUserId("user-1")
            .setPeriod("2026-12-01")
            .setPeriodStart(Instant.parse("2026-12-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z"))
            .setThresholdPercent(thresholdPercent)
            .setLimit(1000)
            .setTotalTokens(thresholdPercent * 10L)
            .setTimestamp(now)
            .setRequestId(requestId)
            .setCause(cause)
            .build();
    }
}
