package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestPlans.plan;
import static io.tokenmonitor.processor.topology.TestPlans.reset;
import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.alert.AlertRaiser;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.query.UsageView;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
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

class PlansAndEventTimeTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    private TopologyFixture start(ProcessorConfig config) {
        fixture = new TopologyFixture(config, stateDir, WALL_CLOCK);
        return fixture;
    }

    private TopologyFixture start() {
        return start(ProcessorConfig.defaults().withMonthlyLimit(1_000));
    }

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void boundaryInUserTimeZoneSplitsPeriods() {
        start();
        fixture.send(plan("u1", Instant.parse("2026-10-01T00:00:00Z")).setTimeZone("Asia/Tokyo").setAnchorDay(31)
            .build());
        // Anchor 31 in November is November 30; 00:00 in Tokyo (UTC+9) is 15:00 UTC the day before.
        Instant boundary = Instant.parse("2026-11-29T15:00:00Z");
        fixture.send(reported("u1", boundary.minusMillis(1), 10, 0));
        fixture.send(reported("u1", boundary, 20, 0));

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        assertEquals("2026-10-31", periods.get(0).getPeriod());
        assertEquals(Instant.parse("2026-10-30T15:00:00Z"), periods.get(0).getPeriodStart());
        assertEquals(boundary, periods.get(0).getPeriodEnd());
        assertEquals(10, periods.get(0).getTotalTokens());
        assertEquals("2026-11-30", periods.get(1).getPeriod());
        assertEquals(boundary, periods.get(1).getPeriodStart());
        assertEquals(Instant.parse("2026-12-30T15:00:00Z"), periods.get(1).getPeriodEnd());
        assertEquals(20, periods.get(1).getTotalTokens());
    }

    @Test
    void personalThresholdsAndLimitApply() {
        start();
        fixture.send(plan("u1", Instant.parse("2026-12-01T00:00:00Z")).setMonthlyTokenLimit(5_000)
            .setThresholdsPercent(List.of(75, 100)).build());
        fixture.send(reported("u1", Instant.parse("2026-12-02T00:00:00Z"), 3_000, 0));
        fixture.send(reported("u1", Instant.parse("2026-12-02T00:01:00Z"), 800, 0));
        fixture.send(reported("other", Instant.parse("2026-12-02T00:02:00Z"), 600, 0));

        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(2, alerts.size());
        assertEquals("u1", alerts.get(0).getUserId());
        assertEquals(75, alerts.get(0).getThresholdPercent());
        assertEquals(5_000, alerts.get(0).getLimit());
        assertEquals(3_800, alerts.get(0).getTotalTokens());
        assertEquals("other", alerts.get(1).getUserId());
        assertEquals(50, alerts.get(1).getThresholdPercent());
        assertEquals(1_000, alerts.get(1).getLimit());
    }

    @Test
    void planChangeFiresNewlyCrossedThresholdsOnce() {
        start();
        Instant time = Instant.parse("2026-12-02T00:00:00Z");
        fixture.send(reported("u1", time, 400, 0));
        assertTrue(fixture.alerts.isEmpty());

        fixture.send(plan("u1", time.plusSeconds(60)).setMonthlyTokenLimit(500).setThresholdsPercent(List.of(50, 75))
            .build());
        List<UsageAlert> alerts = fixture.alerts.readValuesToList();
        assertEquals(List.of(50, 75), alerts.stream().map(UsageAlert::getThresholdPercent).toList());
        for (UsageAlert alert : alerts) {
            assertEquals("plan-change", alert.getCause());
            assertEquals(500, alert.getLimit());
            assertEquals(400, alert.getTotalTokens());
            assertEquals("2026-12-01", alert.getPeriod());
        }

        fixture.send(plan("u1", time.plusSeconds(120)).setMonthlyTokenLimit(500).setThresholdsPercent(List.of(50, 75))
            .build());
        fixture.send(reported("u1", time.plusSeconds(180), 10, 0));
        assertTrue(fixture.alerts.isEmpty(), "no threshold fires twice");
    }

    @Test
    void lateEventWithinGraceCountsInItsOwnPeriod() {
        start();
        fixture.send(reported("u1", Instant.parse("2026-11-30T20:00:00Z"), 100, 0));
        fixture.send(reported("u1", Instant.parse("2026-12-01T06:00:00Z"), 200, 0));
        fixture.send(reported("u1", Instant.parse("2026-11-30T23:00:00Z"), 300, 0));

        KeyValueStore<String, UsagePeriod> store =
            fixture.driver.getKeyValueStore(TokenMonitorTopology.USAGE_PERIODS_STORE);
        assertEquals(400, store.get(StoreKeys.periodKey("2026-11-01", "u1")).getTotalTokens());
        assertEquals(200, store.get(StoreKeys.periodKey("2026-12-01", "u1")).getTotalTokens());
        assertTrue(fixture.deadLetters.isEmpty());
    }

    @Test
    void lateEventAlertsCarryItsPeriod() {
        start();
        fixture.send(reported("u1", Instant.parse("2026-12-01T06:00:00Z"), 10, 0));
        fixture.send(reported("u1", Instant.parse("2026-11-30T23:00:00Z"), 600, 0));

        UsageAlert alert = fixture.alerts.readValue();
        assertEquals("2026-11-01", alert.getPeriod());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), alert.getPeriodEnd());
    }

    @Test
    void eventsBeyondGraceOrFromFutureAreDeadLettered() {
        start(ProcessorConfig.defaults().withMonthlyLimit(1_000).withGracePeriod(Duration.ofHours(24))
            .withMaxClockSkew(Duration.ofMinutes(5)));
        fixture.send(reported("u1", Instant.parse("2026-12-02T00:00:00Z"), 10, 0));
        TokenRequest late = reported("u1", Instant.parse("2026-11-30T23:59:59Z"), 20, 0);
        TokenRequest future = reported("u2", WALL_CLOCK.plus(Duration.ofMinutes(6)), 30, 0);
        TokenRequest onTime = reported("u3", WALL_CLOCK.minusSeconds(1), 40, 0);
        fixture.send(late);
        fixture.send(future);
        fixture.send(onTime);

        List<TestRecord<String, byte[]>> dead = fixture.deadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        assertEquals("late", header(dead.get(0), DeadLetterHeaders.REASON));
        assertArrayEquals(fixture.encode(late), dead.get(0).value());
        assertEquals("future", header(dead.get(1), DeadLetterHeaders.REASON));
        assertEquals("u2", dead.get(1).key());
        assertEquals(1, fixture.rejections.count(RejectionReason.LATE));
        assertEquals(1, fixture.rejections.count(RejectionReason.FUTURE));

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        assertEquals(2, periods.size());
        assertEquals("u3", periods.get(1).getUserId());
        assertEquals(40, periods.get(1).getTotalTokens());
    }

    @Test
    void futureEventDoesNotCloseOtherPeriods() {
        start();
        fixture.send(reported("u1", Instant.parse("2027-06-01T00:00:00Z"), 10, 0));
        fixture.send(reported("u2", Instant.parse("2026-11-30T23:00:00Z"), 20, 0));

        assertEquals(1, fixture.deadLetters.getQueueSize());
        UsagePeriod counted = fixture.periods.readValue();
        assertEquals("u2", counted.getUserId());
        assertEquals("2026-11-01", counted.getPeriod());
    }

    @Test
    void resetZeroesPeriodAndRearmsThresholds() {
        start();
        Instant time = Instant.parse("2026-12-02T00:00:00Z");
        fixture.send(reported("u1", time, 600, 0));
        assertEquals(50, fixture.alerts.readValue().getThresholdPercent());

        fixture.send(reset("u1", time.plusSeconds(60)));
        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        UsagePeriod afterReset = periods.get(periods.size() - 1);
        assertEquals(0, afterReset.getTotalTokens());
        assertEquals(0, afterReset.getRequests());
        assertEquals(1, afterReset.getResets());
        assertTrue(afterReset.getAlertedThresholds().isEmpty());

        fixture.send(reported("u1", time.plusSeconds(120), 550, 0));
        UsageAlert again = fixture.alerts.readValue();
        assertEquals(50, again.getThresholdPercent());
        assertEquals(550, again.getTotalTokens());
        assertEquals(AlertRaiser.alertId("u1", "2026-12-01", 50, 1), again.getAlertId());
    }

    @Test
    void layoutChangeWaitsForPeriodInProgress() {
        start();
        fixture.driver.advanceWallClockTime(Duration.ofDays(60));
        fixture.send(reported("u1", Instant.parse("2026-12-02T00:00:00Z"), 10, 0));
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setTimeZone("Asia/Tokyo").setAnchorDay(15)
            .build());
        fixture.send(reported("u1", Instant.parse("2026-12-20T00:00:00Z"), 20, 0));
        fixture.send(reported("u1", Instant.parse("2027-01-02T00:00:00Z"), 30, 0));

        List<UsagePeriod> periods = fixture.periods.readValuesToList();
        UsagePeriod december = periods.get(periods.size() - 2);
        assertEquals("2026-12-01", december.getPeriod());
        assertEquals(30, december.getTotalTokens());
        UsagePeriod transitional = periods.get(periods.size() - 1);
        // The first Tokyo period starts where the UTC month ended and ends on January 15 in Tokyo.
        assertEquals("2027-01-01", transitional.getPeriod());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), transitional.getPeriodStart());
        assertEquals(Instant.parse("2027-01-14T15:00:00Z"), transitional.getPeriodEnd());
    }

    @Test
    void layoutChangeWithoutUsageAppliesAtOnce() {
        start();
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setTimeZone("Asia/Tokyo").setAnchorDay(31)
            .build());
        fixture.send(reported("u1", Instant.parse("2026-12-04T00:00:00Z"), 10, 0));

        UsagePeriod period = fixture.periods.readValue();
        assertEquals("2026-11-30", period.getPeriod());
        assertEquals(Instant.parse("2026-11-29T15:00:00Z"), period.getPeriodStart());
    }

    @Test
    void periodNamesFollowCalendarChange() {
        start();
        fixture.send(reported("u1", Instant.parse("2026-11-20T00:00:00Z"), 5, 0));
        fixture.send(reported("u1", Instant.parse("2026-12-02T00:00:00Z"), 10, 0));
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setTimeZone("Europe/Paris").setAnchorDay(15)
            .build());
        UsageQueries queries = new UsageQueries(fixture.stores(),
            new AvroSerde<>(fixture.registry, TokenUsage.class), DefaultPlan.HF_PRO);
        Instant now = Instant.parse("2026-12-04T00:00:00Z");

        assertEquals("2026-12-01", queries.usage("u1", null, now).period());
        assertEquals(10, queries.usage("u1", "2026-12", now).totalTokens());
        assertEquals(10, queries.usage("u1", "2026-12-01", now).totalTokens());
        assertEquals(5, queries.usage("u1", "2026-11-01", now).totalTokens());
        UsageView first = queries.usage("u1", "2027-01", now);
        assertEquals("2027-01-01", first.period());
        assertEquals("2027-01-01T00:00:00Z", first.periodStart());
        assertEquals("2027-01-14T23:00:00Z", first.periodEnd());
        assertEquals("2027-02-15", queries.usage("u1", "2027-02", now).period());
        assertThrows(IllegalArgumentException.class, () -> queries.usage("u1", "2026-12-15", now));
    }

    @Test
    void planTombstoneRestoresDefaultPlan() {
        start();
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setMonthlyTokenLimit(77).build());
        fixture.plans.pipeInput("u1", null, Instant.parse("2026-12-03T01:00:00Z"));

        assertNull(fixture.driver.getKeyValueStore(TokenMonitorTopology.USER_PLANS_STORE).get("u1"));
        fixture.send(reported("u1", Instant.parse("2026-12-03T02:00:00Z"), 10, 0));
        assertEquals(1_000, fixture.periods.readValue().getLimit());
    }

    @Test
    void invalidPlanIsDeadLettered() {
        start();
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setTimeZone("Mars/Olympus").build());
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setMonthlyTokenLimit(0).build());
        fixture.send(plan("u1", Instant.parse("2026-12-03T00:00:00Z")).setAnchorDay(32).build());

        List<TestRecord<String, byte[]>> dead = fixture.deadLetters.readRecordsToList();
        assertEquals(3, dead.size());
        for (TestRecord<String, byte[]> record : dead) {
            assertEquals("invalid-plan", header(record, DeadLetterHeaders.REASON));
            assertEquals("user-plans", header(record, DeadLetterHeaders.SOURCE_TOPIC));
        }
        assertNull(fixture.driver.getKeyValueStore(TokenMonitorTopology.USER_PLANS_STORE).get("u1"));
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
