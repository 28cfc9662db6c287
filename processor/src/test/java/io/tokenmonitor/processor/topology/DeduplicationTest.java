package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.dedup.RequestDeduplicator;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsagePeriod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeduplicationTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-12-04T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-04T11:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    private TopologyFixture start(Duration dedupHorizon) {
        ProcessorConfig config = ProcessorConfig.defaults().withMonthlyLimit(1_000_000).withDedupHorizon(dedupHorizon);
        fixture = new TopologyFixture(config, stateDir, WALL_CLOCK);
        return fixture;
    }

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static TokenRequest imported(String requestId, Instant time, long promptTokens) {
        return TestRequests.request()
            .setRequestId(requestId)
            .setUserId("u1")
            .setTimestamp(time)
            .setReportedPromptTokens(promptTokens)
            .setReportedCompletionTokens(0L)
            .setImported(true)
            .build();
    }

    private KeyValueStore<String, Long> seenStore() {
        return fixture.driver.getKeyValueStore(TokenMonitorTopology.SEEN_REQUESTS_STORE);
    }

    private String lastDeadLetterReason() {
        TestRecord<String, byte[]> record = fixture.deadLetters.readRecord();
        return new String(record.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCountRepeatedRequestIdOnce() {
        start(ProcessorConfig.DEFAULT_DEDUP_HORIZON);
        TokenRequest first = reported("u1", NOW, 100, 20);
        fixture.send(first);
        fixture.send(first);
        fixture.send(TokenRequest.newBuilder(first).setReportedPromptTokens(999L).build());

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        assertEquals(1, periods.size());
        assertEquals(120, periods.get(0).getTotalTokens());
        assertEquals(1, fixture.usage.readValuesToList().size());
        assertEquals(2, fixture.rejections.duplicates());
        assertTrue(fixture.deadLetters.isEmpty(), "duplicates are not dead letters");
        assertEquals(NOW.toEpochMilli(), seenStore().get(RequestDeduplicator.seenKey("u1", first.getRequestId())));
    }

    @Test
    void shouldCountSameRequestIdOfTwoUsersTwice() {
        start(ProcessorConfig.DEFAULT_DEDUP_HORIZON);
        fixture.send(TestRequests.request().setRequestId("shared").setUserId("u1").setTimestamp(NOW)
            .setReportedPromptTokens(10L).build());
        fixture.send(TestRequests.request().setRequestId("shared").setUserId("u2").setTimestamp(NOW)
            .setReportedPromptTokens(10L).build());

        assertEquals(2, fixture.usage.readValuesToList().size());
        assertEquals(0, fixture.rejections.duplicates());
    }

    @Test
    void shouldAcceptImportedRequestOlderThanGracePeriod() {
        start(ProcessorConfig.DEFAULT_DEDUP_HORIZON);
        fixture.send(reported("u1", NOW, 10, 0));
        // The November period closed on December 1, more than the 24 h grace period before NOW.
        Instant lastMonth = Instant.parse("2026-11-30T09:00:00Z");
        fixture.send(imported("browser-1", lastMonth, 300));

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        assertEquals(2, periods.size());
        assertEquals("2026-11-01", periods.get(1).getPeriod());
        assertEquals(300, periods.get(1).getTotalTokens());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldRejectLiveRequestOlderThanGracePeriodAsLate() {
        start(ProcessorConfig.DEFAULT_DEDUP_HORIZON);
        fixture.send(reported("u1", NOW, 10, 0));
        fixture.send(reported("u1", Instant.parse("2026-11-30T09:00:00Z"), 300, 0));

        assertEquals(1, fixture.periods.readValuesToList().size());
        assertEquals(RejectionReason.LATE.code(), lastDeadLetterReason());
    }

    @Test
    void shouldRejectImportedRequestBeyondHorizonAsLate() {
        start(Duration.ofDays(7));
        fixture.send(reported("u1", NOW, 10, 0));
        fixture.send(imported("browser-old", NOW.minus(Duration.ofDays(7)).minusMillis(1), 300));
        fixture.send(imported("browser-edge", NOW.minus(Duration.ofDays(7)), 40));

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        assertEquals(2, periods.size());
        assertEquals(40, periods.get(1).getTotalTokens());
        assertEquals(RejectionReason.LATE.code(), lastDeadLetterReason());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void shouldRejectLiveRequestBeyondHorizonInOpenPeriod() {
        start(Duration.ofDays(2));
        fixture.send(reported("u1", NOW, 10, 0));
        // December 1 is in the open period, so only the horizon rejects it.
        fixture.send(reported("u1", Instant.parse("2026-12-01T00:00:00Z"), 300, 0));

        assertEquals(1, fixture.periods.readValuesToList().size());
        assertEquals(RejectionReason.LATE.code(), lastDeadLetterReason());
    }

    @Test
    void shouldIgnoreSecondImportOfSameHistory() {
        start(ProcessorConfig.DEFAULT_DEDUP_HORIZON);
        fixture.send(reported("u1", NOW, 10, 0));
        // Spans November and December, so the import updates a closed period too.
        List<TokenRequest> history = List.of(
            imported("h1", Instant.parse("2026-11-29T08:00:00Z"), 100),
            imported("h2", Instant.parse("2026-12-02T08:00:00Z"), 200),
            imported("h3", NOW.minus(Duration.ofHours(1)), 300));
        history.forEach(fixture::send);
        assertEquals(610, storedTotal("u1"));
        assertEquals(4, fixture.periods.readValuesToList().size());

        history.forEach(fixture::send);

        assertEquals(610, storedTotal("u1"));
        assertTrue(fixture.periods.isEmpty(), "a second import updates no period");
        assertTrue(fixture.deadLetters.isEmpty());
        assertEquals(3, fixture.rejections.duplicates());
    }

    /** Returns the sum of a user's totals over every period in the store. */
    private long storedTotal(String userId) {
        long total = 0;
        try (var entries = fixture.stores().periods().all()) {
            while (entries.hasNext()) {
                UsagePeriod period = entries.next().value;
                if (period.getUserId().equals(userId)) {
                    total += period.getTotalTokens();
                }
            }
        }
        return total;
    }

    @Test
    void shouldPurgeSeenIdsBeyondHorizon() {
        start(Duration.ofDays(7));
        TokenRequest old = reported("u1", NOW.minus(Duration.ofDays(10)), 10, 0);
        TokenRequest recent = reported("u1", NOW.minus(Duration.ofDays(3)), 10, 0);
        fixture.send(old);
        fixture.send(recent);
        fixture.send(reported("u1", NOW, 10, 0));
        assertNotNull(seenStore().get(RequestDeduplicator.seenKey("u1", old.getRequestId())));

        fixture.driver.advanceWallClockTime(RequestDeduplicator.PURGE_INTERVAL);

        assertNull(seenStore().get(RequestDeduplicator.seenKey("u1", old.getRequestId())));
        assertNotNull(seenStore().get(RequestDeduplicator.seenKey("u1", recent.getRequestId())));
        fixture.deadLetters.readRecordsToList();
        fixture.send(old);
        assertEquals(RejectionReason.LATE.code(), lastDeadLetterReason());
        assertEquals(0, fixture.rejections.duplicates());
    }
}
