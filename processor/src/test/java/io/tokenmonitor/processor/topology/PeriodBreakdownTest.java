package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-provider and per-day shares of the usage-periods records, and the alerts store.
 */
class PeriodBreakdownTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(1_000, stateDir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldPublishProviderAndDayShares() {
        fixture.send(TestPlans.plan("user-tokyo", Instant.parse("2026-02-01T00:00:00Z"))
            .setTimeZone("Asia/Tokyo").build());
        // 14:59 and 15:00 UTC are 23:59 on 9 March and 00:00 on 10 March in Tokyo (UTC+9).
        send("user-tokyo", "2026-03-09T14:59:00Z", "groq", 70, 30);
        send("user-tokyo", "2026-03-09T15:00:00Z", "together", 15, 5);
        send("user-tokyo", "2026-03-09T16:00:00Z", "groq", 8, 2);

        UsagePeriod totals = fixture.periods.readValuesToList().get(2);
        assertEquals("Asia/Tokyo", totals.getTimeZone());
        assertEquals(2, totals.getByDay().size());
        assertEquals(1, totals.getByDay().get("2026-03-09").getRequests());
        assertEquals(100, totals.getByDay().get("2026-03-09").getTotalTokens());
        assertEquals(2, totals.getByDay().get("2026-03-10").getRequests());
        assertEquals(30, totals.getByDay().get("2026-03-10").getTotalTokens());
        assertEquals(2, totals.getByProvider().get("groq").getRequests());
        assertEquals(110, totals.getByProvider().get("groq").getTotalTokens());
        assertEquals(1, totals.getByProvider().get("together").getRequests());
        assertEquals(20, totals.getByProvider().get("together").getTotalTokens());
    }

    @Test
    void shouldClearSharesOnReset() {
        send("user-1", "2026-03-09T10:00:00Z", "groq", 70, 30);
        fixture.send(TestPlans.reset("user-1", Instant.parse("2026-03-10T00:00:00Z")));

        List<UsagePeriod> updates = fixture.periods.readValuesToList();
        UsagePeriod afterReset = updates.get(updates.size() - 1);
        assertEquals(0, afterReset.getTotalTokens());
        assertTrue(afterReset.getByProvider().isEmpty());
        assertTrue(afterReset.getByDay().isEmpty());
        assertEquals("UTC", afterReset.getTimeZone());
    }

    @Test
    void shouldKeepEveryAlertSentInStore() {
        send("user-1", "2026-03-09T10:00:00Z", "groq", 500, 0);
        send("user-1", "2026-03-09T11:00:00Z", "groq", 400, 0);

        List<UsageAlert> sent = fixture.alerts.readValuesToList();
        KeyValueStore<String, UsageAlert> store =
            fixture.driver.getKeyValueStore(TokenMonitorTopology.USAGE_ALERTS_STORE);
        List<UsageAlert> kept = new ArrayList<>();
        try (KeyValueIterator<String, UsageAlert> iterator = store.all()) {
            while (iterator.hasNext()) {
                KeyValue<String, UsageAlert> entry = iterator.next();
                kept.add(entry.value);
            }
        }
        // 500 of 1,000 tokens reach 50 percent; 900 reach 80 and 90.
        assertEquals(3, sent.size());
        assertEquals(sent, kept);
    }

    private void send(String userId, String time, String provider, long prompt, long completion) {
        fixture.send(request().setUserId(userId).setTimestamp(Instant.parse(time)).setProvider(provider)
            .setReportedPromptTokens(prompt).setReportedCompletionTokens(completion).build());
    }
}
