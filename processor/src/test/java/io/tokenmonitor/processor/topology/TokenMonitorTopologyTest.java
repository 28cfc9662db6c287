package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.alert.AlertRaiser;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMonitorTopologyTest {

    private static final long LIMIT = 1_000;
    private static final Instant MARCH = Instant.parse("2026-03-10T12:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(LIMIT, stateDir);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void unknownModelUsesFourCharactersPerToken() {
        fixture.send(request().setModel("acme/unknown-model").setPromptText("a".repeat(9))
            .setCompletionText("b".repeat(4)).build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(3, usage.getPromptTokens());
        assertEquals(1, usage.getCompletionTokens());
        assertEquals(4, usage.getTotalTokens());
        assertEquals(TokenSource.HEURISTIC, usage.getTokenSource());
        assertEquals("chars-per-token-4", usage.getEstimator());
        assertNull(usage.getCostMicros());
    }

    @Test
    void openAiModelIsCountedExactlyAndPriced() {
        fixture.send(request().setModel("gpt-4o").setProvider("openai").setPromptText("hello world")
            .setCompletionText("hello world").build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(TokenSource.EXACT, usage.getTokenSource());
        assertEquals("o200k_base", usage.getEstimator());
        // "hello" and " world" are one o200k token each (checked with the npm package gpt-tokenizer 4.0.0).
        assertEquals(2, usage.getPromptTokens());
        assertEquals(2, usage.getCompletionTokens());
        // gpt-4o lists at $2.50 input and $10 output per million tokens: 2 * 2.5 + 2 * 10 = 25 micro-dollars.
        assertEquals(25L, usage.getCostMicros());
    }

    @Test
    void llamaModelIsEstimatedByItsFamily() {
        fixture.send(request().setPromptText("Explain how a Kafka Streams state store is restored.").build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(TokenSource.ESTIMATED, usage.getTokenSource());
        assertEquals("calibrated-llama3", usage.getEstimator());
        assertTrue(usage.getPromptTokens() > 0);
    }

    @Test
    void reportedTotalWithoutPartsIsKept() {
        fixture.send(request().setModel("acme/unknown-model").setPromptText("a".repeat(40))
            .setCompletionText("b".repeat(120)).setReportedTotalTokens(100L).build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(TokenSource.REPORTED, usage.getTokenSource());
        assertEquals(100, usage.getTotalTokens());
        assertEquals(25, usage.getPromptTokens());
        assertEquals(75, usage.getCompletionTokens());
    }

    @Test
    void periodCostSumsPricedRequestsOnly() {
        fixture.send(request().setModel("gpt-4o").setProvider("openai").setReportedPromptTokens(1_000_000L)
            .setReportedCompletionTokens(0L).build());
        fixture.send(request().setModel("acme/unknown-model").setReportedPromptTokens(10L)
            .setReportedCompletionTokens(0L).build());

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        UsagePeriod totals = periods.get(periods.size() - 1);
        assertEquals(2_500_000L, totals.getCostMicros());
        assertEquals(1, totals.getUnpricedRequests());
        assertEquals(2_500_000L, totals.getByModel().get("gpt-4o").getCostMicros());
        assertEquals(1, totals.getByModel().get("acme/unknown-model").getUnpricedRequests());
    }

    @Test
    void usesReportedCountsOverText() {
        fixture.send(request()
            .setPromptText("a".repeat(400))
            .setCompletionText("b".repeat(400))
            .setReportedPromptTokens(7L)
            .setReportedCompletionTokens(11L)
            .build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(7, usage.getPromptTokens());
        assertEquals(11, usage.getCompletionTokens());
        assertEquals(18, usage.getTotalTokens());
        assertEquals(TokenSource.REPORTED, usage.getTokenSource());
    }

    @Test
    void usageRecordCarriesNoText() {
        fixture.send(request().setPromptText("secret prompt").setCompletionText("secret answer").build());

        TokenUsage usage = fixture.usage.readValue();
        String encoded = usage.toString();
        assertFalse(encoded.contains("secret"), encoded);
    }

    @Test
    void lastMillisecondOfMonthCountsInThatMonth() {
        fixture.send(reported("user-1", Instant.parse("2026-01-31T23:59:59.999Z"), 10, 0));
        fixture.send(reported("user-1", Instant.parse("2026-02-01T00:00:00Z"), 20, 0));

        UsagePeriod january = fixture.periods.readValue();
        UsagePeriod february = fixture.periods.readValue();
        assertEquals("2026-01-01", january.getPeriod());
        assertEquals(10, january.getTotalTokens());
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), january.getPeriodEnd());
        assertEquals("2026-02-01", february.getPeriod());
        assertEquals(20, february.getTotalTokens());
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), february.getPeriodStart());
    }

    @Test
    void leapDayBelongsToFebruary() {
        fixture.send(reported("user-1", Instant.parse("2028-02-29T23:30:00Z"), 5, 5));

        UsagePeriod period = fixture.periods.readValue();
        assertEquals("2028-02-01", period.getPeriod());
        assertEquals(Instant.parse("2028-02-01T00:00:00Z"), period.getPeriodStart());
        assertEquals(Instant.parse("2028-03-01T00:00:00Z"), period.getPeriodEnd());
    }

    @Test
    void aggregatesTotalsAndModels() {
        fixture.send(reported("user-1", MARCH, 100, 50));
        fixture.send(request().setUserId("user-1").setTimestamp(MARCH).setModel("gpt-4o")
            .setReportedPromptTokens(10L).setReportedCompletionTokens(5L).build());

        List<UsagePeriod> updates = fixture.periods.readValuesToList();
        UsagePeriod totals = updates.get(updates.size() - 1);
        assertEquals(2, totals.getRequests());
        assertEquals(110, totals.getPromptTokens());
        assertEquals(55, totals.getCompletionTokens());
        assertEquals(165, totals.getTotalTokens());
        assertEquals(LIMIT, totals.getLimit());
        ModelUsage llama = totals.getByModel().get("meta-llama/Meta-Llama-3-70B-Instruct");
        ModelUsage gpt = totals.getByModel().get("gpt-4o");
        assertEquals(150, llama.getTotalTokens());
        assertEquals(1, llama.getRequests());
        assertEquals(15, gpt.getTotalTokens());
        assertEquals(2, totals.getByModel().size());
    }

    @Test
    void modelBreakdownSurvivesStoreRoundTrip() {
        fixture.send(reported("user-1", MARCH, 1, 1));
        fixture.send(reported("user-1", MARCH, 1, 1));

        KeyValueStore<String, UsagePeriod> store =
            fixture.driver.getKeyValueStore(TokenMonitorTopology.USAGE_PERIODS_STORE);
        UsagePeriod stored = store.get(StoreKeys.periodKey("2026-03-01", "user-1"));
        assertEquals(1, stored.getByModel().size());
        assertEquals(2, stored.getByModel().get("meta-llama/Meta-Llama-3-70B-Instruct").getRequests());
    }

    @Test
    void eachThresholdAlertsOnce() {
        fixture.send(reported("user-1", MARCH, 500, 0));
        fixture.send(reported("user-1", MARCH.plusSeconds(1), 100, 0));
        fixture.send(reported("user-1", MARCH.plusSeconds(2), 200, 0));
        fixture.send(reported("user-1", MARCH.plusSeconds(3), 10, 0));

        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(2, alerts.size());
        assertEquals(50, alerts.get(0).getThresholdPercent());
        assertEquals(500, alerts.get(0).getTotalTokens());
        assertEquals(80, alerts.get(1).getThresholdPercent());
        assertEquals(800, alerts.get(1).getTotalTokens());
        assertEquals(MARCH.plusSeconds(2), alerts.get(1).getTimestamp());
    }

    @Test
    void oneRequestPastSeveralThresholdsAlertsEach() {
        TokenRequest big = reported("user-1", MARCH, 950, 0);
        fixture.send(big);

        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(List.of(50, 80, 90), alerts.stream().map(UsageAlert::getThresholdPercent).toList());
        for (UsageAlert alert : alerts) {
            assertEquals(big.getRequestId(), alert.getRequestId());
            assertEquals(950, alert.getTotalTokens());
            assertEquals(LIMIT, alert.getLimit());
            assertEquals("2026-03-01", alert.getPeriod());
            assertEquals("user-1", alert.getUserId());
        }
    }

    @Test
    void exactLimitAlertsAtHundredPercent() {
        fixture.send(reported("user-1", MARCH, 999, 0));
        fixture.send(reported("user-1", MARCH, 1, 0));

        List<Integer> thresholds = fixture.alerts.readValuesToList().stream()
            .map(UsageAlert::getThresholdPercent).toList();
        assertEquals(List.of(50, 80, 90, 100), thresholds);
    }

    @Test
    void newMonthAlertsAgain() {
        fixture.send(reported("user-1", Instant.parse("2026-03-31T23:00:00Z"), 600, 0));
        fixture.send(reported("user-1", Instant.parse("2026-04-01T01:00:00Z"), 600, 0));

        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(2, alerts.size());
        assertEquals("2026-03-01", alerts.get(0).getPeriod());
        assertEquals("2026-04-01", alerts.get(1).getPeriod());
        assertEquals(50, alerts.get(1).getThresholdPercent());
    }

    @Test
    void alertIdIsDeterministic() {
        fixture.send(reported("user-7", MARCH, 500, 0));

        UsageAlert alert = fixture.alerts.readValue();
        assertEquals(AlertRaiser.alertId("user-7", "2026-03-01", 50, 0), alert.getAlertId());
        assertFalse(alert.getAlertId().equals(AlertRaiser.alertId("user-7", "2026-03-01", 80, 0)));
        assertFalse(alert.getAlertId().equals(AlertRaiser.alertId("user-7", "2026-04-01", 50, 0)));
    }

    @Test
    void usersAreCountedSeparately() {
        fixture.send(reported("user-1", MARCH, 600, 0));
        fixture.send(reported("user-2", MARCH, 100, 0));

        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(1, alerts.size());
        assertEquals("user-1", alerts.get(0).getUserId());
        List<TestRecord<String, UsagePeriod>> periods = fixture.periods.readRecordsToList();
        assertEquals("user-2", periods.get(1).key());
        assertEquals(100, periods.get(1).value().getTotalTokens());
    }

    @Test
    void garbageBytesAreDeadLettered() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        fixture.sendRaw("user-1", garbage, MARCH);

        TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
        assertEquals("user-1", dead.key());
        assertArrayEquals(garbage, dead.value());
        assertEquals("undecodable", header(dead, DeadLetterHeaders.REASON));
        assertEquals("token-requests", header(dead, DeadLetterHeaders.SOURCE_TOPIC));
        assertNotNull(header(dead, DeadLetterHeaders.SOURCE_OFFSET));
        assertNotNull(header(dead, DeadLetterHeaders.ERROR));
        assertEquals(1, fixture.rejections.count(RejectionReason.UNDECODABLE));
        assertTrue(fixture.usage.isEmpty());
    }

    @Test
    void unknownSchemaIdIsDeadLettered() {
        byte[] value = fixture.encode(reported("user-1", MARCH, 1, 1));
        ByteBuffer.wrap(value).putInt(1, 9999);
        fixture.sendRaw("user-1", value, MARCH);

        TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
        assertEquals("unknown-schema", header(dead, DeadLetterHeaders.REASON));
        assertArrayEquals(value, dead.value());
        assertEquals(1, fixture.rejections.count(RejectionReason.UNKNOWN_SCHEMA));
    }

    @Test
    void invalidRequestsAreDeadLetteredWithReason() {
        fixture.sendRaw("", fixture.encode(request().setUserId("").build()), MARCH);
        fixture.send(request().setRequestId(" ").build());
        fixture.send(request().setModel("").build());
        fixture.send(request().setReportedPromptTokens(-1L).setReportedCompletionTokens(5L).build());
        fixture.send(request().setReportedCompletionTokens(-3L).build());
        fixture.send(request().setReportedPromptTokens(2_000_000_000L).build());
        fixture.sendRaw("user-2", fixture.encode(request().setUserId("user-1").build()), MARCH);
        fixture.sendRaw(null, fixture.encode(request().build()), MARCH);
        fixture.send(request().setUserId("user\u0000x").build());
        fixture.sendRaw("user-1", null, MARCH);
        fixture.send(request().setReportedTotalTokens(-5L).build());
        fixture.send(request().setReportedTotalTokens(1_000_000_000_000L).build());
        fixture.send(request().setReportedPromptTokens(30L).setReportedTotalTokens(20L).build());
        fixture.send(request().setReportedPromptTokens(30L).setReportedCompletionTokens(5L)
            .setReportedTotalTokens(40L).build());

        List<String> reasons = fixture.deadLetters.readRecordsToList().stream()
            .map(dead -> header(dead, DeadLetterHeaders.REASON)).toList();
        assertEquals(List.of("missing-field", "missing-field", "missing-field", "negative-count", "negative-count",
            "count-out-of-range", "key-mismatch", "key-mismatch", "invalid-field", "undecodable", "negative-count",
            "count-out-of-range", "count-out-of-range", "count-out-of-range"), reasons);
        assertTrue(fixture.usage.isEmpty());
        assertTrue(fixture.periods.isEmpty());
    }

    @Test
    void validRequestAfterBadInputIsCounted() {
        fixture.sendRaw("user-1", new byte[] {0, 0, 0}, MARCH);
        fixture.send(reported("user-1", MARCH, 3, 4));

        assertEquals(1, fixture.deadLetters.getQueueSize());
        assertEquals(7, fixture.usage.readValue().getTotalTokens());
    }

    @Test
    void keepsNewestHundredRequestsPerUser() {
        for (int i = 0; i < 105; i++) {
            fixture.send(request().setRequestId("r" + i).setTimestamp(MARCH.plusSeconds(i))
                .setReportedPromptTokens(1L).setReportedCompletionTokens(1L).build());
        }
        fixture.send(request().setUserId("user-2").setRequestId("other").build());

        KeyValueStore<String, byte[]> store = fixture.driver.getKeyValueStore(TokenMonitorTopology.RECENT_REQUESTS_STORE);
        long userOneEntries = 0;
        try (var iterator = store.all()) {
            while (iterator.hasNext()) {
                if (iterator.next().key.startsWith(StoreKeys.recentRequestPrefix("user-1"))) {
                    userOneEntries++;
                }
            }
        }
        assertEquals(100, userOneEntries);
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(4).toEpochMilli(), "r4")));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(5).toEpochMilli(), "r5")));
    }

    @Test
    void recentRequestCountStopsAtHundred() {
        for (int i = 0; i < 105; i++) {
            sendTwoTokens("r" + i, MARCH.plusSeconds(i));
        }

        KeyValueStore<String, byte[]> store = recentStore();
        byte[] count = store.get(StoreKeys.recentRequestCountKey("user-1"));
        assertNotNull(count);
        assertEquals(100, ByteBuffer.wrap(count).getInt());
        assertEquals(100, recentEntries(store, "user-1"));
    }

    @Test
    void storeWithoutCountIsTrimmedOnce() {
        // A store written before counts were kept: 150 requests, no count entry and no marker.
        KeyValueStore<String, byte[]> store = recentStore();
        for (int i = 0; i < 150; i++) {
            store.put(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(i).toEpochMilli(), "old" + i),
                new byte[] {0});
        }

        sendTwoTokens("new", MARCH.plusSeconds(200));

        assertEquals(100, recentEntries(store, "user-1"));
        assertEquals(100, ByteBuffer.wrap(store.get(StoreKeys.recentRequestCountKey("user-1"))).getInt());
        assertNull(store.get(StoreKeys.RECENT_REQUEST_COUNTS_MARKER));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(200).toEpochMilli(), "new")));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(51).toEpochMilli(), "old51")));
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(50).toEpochMilli(), "old50")));
    }

    @Test
    void emptyStoreGetsCountsMarker() {
        sendTwoTokens("first", MARCH);

        KeyValueStore<String, byte[]> store = recentStore();
        assertNotNull(store.get(StoreKeys.RECENT_REQUEST_COUNTS_MARKER));
        assertEquals(1, ByteBuffer.wrap(store.get(StoreKeys.recentRequestCountKey("user-1"))).getInt());
        assertEquals(1, recentEntries(store, "user-1"));
    }

    @Test
    void olderRequestPastLimitIsNotKept() {
        for (int i = 0; i < 100; i++) {
            sendTwoTokens("r" + i, MARCH.plusSeconds(100 + i));
        }

        sendTwoTokens("older", MARCH);

        KeyValueStore<String, byte[]> store = recentStore();
        assertEquals(100, recentEntries(store, "user-1"));
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.toEpochMilli(), "older")));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(100).toEpochMilli(), "r0")));
    }

    @Test
    void olderRequestWithinLimitIsDroppedFirst() {
        for (int i = 0; i < 50; i++) {
            sendTwoTokens("r" + i, MARCH.plusSeconds(100 + i));
        }
        sendTwoTokens("older", MARCH);
        for (int i = 50; i < 110; i++) {
            sendTwoTokens("r" + i, MARCH.plusSeconds(100 + i));
        }

        KeyValueStore<String, byte[]> store = recentStore();
        assertEquals(100, recentEntries(store, "user-1"));
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.toEpochMilli(), "older")));
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(109).toEpochMilli(), "r9")));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.plusSeconds(110).toEpochMilli(), "r10")));
    }

    @Test
    void olderRequestIsDroppedInStoreOrder() {
        // Same millisecond: the request ids decide the order, and U+E000 sorts before an emoji as UTF-8 bytes.
        sendTwoTokens("\ue000-old", MARCH);
        for (int i = 0; i < 99; i++) {
            sendTwoTokens("r" + i, MARCH.plusSeconds(1 + i));
        }
        sendTwoTokens("\ud83d\ude00-new", MARCH);

        KeyValueStore<String, byte[]> store = recentStore();
        assertEquals(100, recentEntries(store, "user-1"));
        assertNotNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.toEpochMilli(), "\ue000-old")));
        assertNull(store.get(StoreKeys.recentRequestKey("user-1", MARCH.toEpochMilli(), "\ud83d\ude00-new")));
    }

    /** Sends a request of user-1 with reported counts of one prompt and one completion token. */
    private void sendTwoTokens(String requestId, Instant timestamp) {
        fixture.send(request().setRequestId(requestId).setTimestamp(timestamp)
            .setReportedPromptTokens(1L).setReportedCompletionTokens(1L).build());
    }

    private KeyValueStore<String, byte[]> recentStore() {
        return fixture.driver.getKeyValueStore(TokenMonitorTopology.RECENT_REQUESTS_STORE);
    }

    private static long recentEntries(KeyValueStore<String, byte[]> store, String userId) {
        long entries = 0;
        try (var iterator = store.prefixScan(StoreKeys.recentRequestPrefix(userId), new StringSerializer())) {
            while (iterator.hasNext()) {
                iterator.next();
                entries++;
            }
        }
        return entries;
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
