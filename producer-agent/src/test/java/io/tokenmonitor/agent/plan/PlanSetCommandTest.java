package io.tokenmonitor.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.topics.Topics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PlanSetCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockClients clients = new MockClients();

    @Test
    void planSetSendsEveryOptionKeyedByUser() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--plan-name", "hf-pro",
            "--limit", "2000000", "--thresholds", "90,50,100,75", "--hard-stop", "120",
            "--time-zone", "Europe/Paris", "--anchor-day", "15");

        Instant after = Instant.now();
        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        MockProducer<String, UserPlan> producer = clients.producerOf(Topics.USER_PLANS);
        assertEquals(1, producer.history().size());
        ProducerRecord<String, UserPlan> record = producer.history().get(0);
        assertEquals("user-plans", record.topic());
        assertEquals("alice", record.key());

        UserPlan plan = record.value();
        assertEquals("alice", plan.getUserId());
        assertEquals("hf-pro", plan.getPlanName());
        assertEquals(2_000_000L, plan.getMonthlyTokenLimit());
        assertEquals(List.of(50, 75, 90, 100), plan.getThresholdsPercent());
        assertEquals(120, plan.getHardStopPercent());
        assertEquals("Europe/Paris", plan.getTimeZone());
        assertEquals(15, plan.getAnchorDay());
        assertFalse(plan.getUpdatedAt().isBefore(before), plan.getUpdatedAt() + " is before " + before);
        assertFalse(plan.getUpdatedAt().isAfter(after), plan.getUpdatedAt() + " is after " + after);
        assertTrue(producer.closed(), "the producer is closed");
    }

    @Test
    void planSetPrintsPlanAsJsonLine() throws Exception {
        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--limit", "500",
            "--thresholds", "80,40", "--hard-stop", "100");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), run.out());
        UserPlan sent = clients.producerOf(Topics.USER_PLANS).history().get(0).value();
        JsonNode printed = JSON.readTree(run.out());
        assertEquals("alice", printed.get("userId").asText());
        assertEquals("custom", printed.get("planName").asText());
        assertEquals(500, printed.get("monthlyTokenLimit").asLong());
        assertEquals(JSON.readTree("[40,80]"), printed.get("thresholdsPercent"));
        assertEquals(100, printed.get("hardStopPercent").asInt());
        assertEquals("UTC", printed.get("timeZone").asText());
        assertEquals(1, printed.get("anchorDay").asInt());
        assertEquals(sent.getUpdatedAt(), Instant.parse(printed.get("updatedAt").asText()));
        assertEquals(8, printed.size(), "one JSON field per schema field");
        assertTrue(run.err().contains("Sent the plan of user 'alice' to user-plans partition 0 at offset 0."),
            run.err());
    }

    @Test
    void planSetAppliesDefaultsForOmittedOptions() throws Exception {
        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "bob", "--limit", "1000000");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        UserPlan plan = clients.producerOf(Topics.USER_PLANS).history().get(0).value();
        assertEquals("custom", plan.getPlanName());
        assertEquals(List.of(50, 80, 90, 100), plan.getThresholdsPercent());
        assertNull(plan.getHardStopPercent());
        assertEquals("UTC", plan.getTimeZone());
        assertEquals(1, plan.getAnchorDay());
        assertTrue(JSON.readTree(run.out()).get("hardStopPercent").isNull(), run.out());
    }

    @Test
    void planSetUsesIdempotentAcksAllProducer() {
        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--limit", "10",
            "--bootstrap-servers", "127.0.0.1:19092");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("127.0.0.1:19092", clients.producerProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("all", clients.producerProperties.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", clients.producerProperties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    }

    @ParameterizedTest(name = "--time-zone {0} is sent as {1}")
    @CsvSource({
        "America/New_York, America/New_York",
        "UTC, UTC",
        "Etc/GMT-3, Etc/GMT-3"})
    void planSetSendsIanaTimeZoneId(String option, String expectedId) {
        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--limit", "10",
            "--time-zone", option);

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals(expectedId, clients.producerOf(Topics.USER_PLANS).history().get(0).value().getTimeZone());
    }

    @Test
    void planSetAcceptsBoundaryValues() {
        String longestUserId = "u".repeat(256);

        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", longestUserId, "--limit", "1",
            "--thresholds", "1000,1", "--hard-stop", "1000", "--anchor-day", "31");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        UserPlan plan = clients.producerOf(Topics.USER_PLANS).history().get(0).value();
        assertEquals(longestUserId, plan.getUserId());
        assertEquals(1L, plan.getMonthlyTokenLimit());
        assertEquals(List.of(1, 1000), plan.getThresholdsPercent());
        assertEquals(1000, plan.getHardStopPercent());
        assertEquals(31, plan.getAnchorDay());
    }

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
            Arguments.of(List.of("--limit", "10"), "Missing required option: '--user=USER_ID'"),
            Arguments.of(List.of("--user", "alice"), "Missing required option: '--limit=TOKENS'"),
            Arguments.of(List.of("--user", "", "--limit", "10"), "Invalid --user: expected a non-blank value"),
            Arguments.of(List.of("--user", "  ", "--limit", "10"), "Invalid --user: expected a non-blank value"),
            Arguments.of(List.of("--user", "u".repeat(257), "--limit", "10"),
                "Invalid --user: 257 characters, expected at most 256"),
            Arguments.of(List.of("--user", "a\tb", "--limit", "10"),
                "Invalid --user 'a\\u0009b': contains the control character U+0009"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--plan-name", " "),
                "Invalid --plan-name: expected a non-blank value"),
            Arguments.of(List.of("--user", "alice", "--limit", "0"),
                "Invalid --limit 0: expected a positive number of tokens"),
            Arguments.of(List.of("--user", "alice", "--limit", "-5"),
                "Invalid --limit -5: expected a positive number of tokens"),
            Arguments.of(List.of("--user", "alice", "--limit", "lots"), "'lots' is not a long"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--thresholds", "0"),
                "Invalid --thresholds value 0: expected a percent from 1 to 1000"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--thresholds", "50,1001"),
                "Invalid --thresholds value 1001: expected a percent from 1 to 1000"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--thresholds", "50,80,50"),
                "Invalid --thresholds: 50 is given more than once"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--thresholds", "50,high"),
                "'high' is not an int"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--hard-stop", "0"),
                "Invalid --hard-stop 0: expected a percent from 1 to 1000"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--hard-stop", "1001"),
                "Invalid --hard-stop 1001: expected a percent from 1 to 1000"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--time-zone", "Mars/Olympus_Mons"),
                "Invalid --time-zone 'Mars/Olympus_Mons': expected an IANA time zone id such as Europe/Paris, UTC"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--time-zone", "+05:30"),
                "Invalid --time-zone '+05:30': expected an IANA time zone id"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--time-zone", "GMT+3"),
                "Invalid --time-zone 'GMT+3': expected an IANA time zone id"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--time-zone", "PST"),
                "'PST' is an abbreviation, use a region id such as America/Los_Angeles"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--time-zone", ""),
                "Invalid --time-zone '': expected an IANA time zone id"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--anchor-day", "0"),
                "Invalid --anchor-day 0: expected a day of the month from 1 to 31"),
            Arguments.of(List.of("--user", "alice", "--limit", "10", "--anchor-day", "32"),
                "Invalid --anchor-day 32: expected a day of the month from 1 to 31"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidOptions")
    void planSetRejectsInvalidOptionBeforeSending(List<String> options, String expectedError) {
        String[] args = Stream.concat(Stream.of("plan", "set"), options.stream()).toArray(String[]::new);

        AgentRun run = AgentRun.execute(clients, args);

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains(expectedError), run.err());
        assertEquals("", run.out());
        assertTrue(clients.topicProducers.isEmpty(), "no producer is created for invalid options");
    }

    @Test
    void abbreviationHintNamesOffsetOrRegion() {
        // ZoneId.of("EST") itself succeeds or fails depending on the JDK's tzdata version, so the hint is
        // checked on its own.
        assertEquals("; 'EST' is an abbreviation of the fixed offset -05:00, use a region id",
            PlanSetCommand.abbreviationHint("EST"));
        assertEquals("; 'PST' is an abbreviation, use a region id such as America/Los_Angeles",
            PlanSetCommand.abbreviationHint("PST"));
        assertEquals("", PlanSetCommand.abbreviationHint("Mars/Olympus_Mons"));
    }

    @Test
    void planSetExitsFailureWhenAckFails() {
        clients.ackError = new RecordTooLargeException("record too large for the broker");

        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--limit", "10");

        assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().contains("Failed to send the plan of user 'alice' to user-plans: "
            + "org.apache.kafka.common.errors.RecordTooLargeException: record too large for the broker"), run.err());
        assertEquals("", run.out(), "nothing is printed on stdout unless the plan was acknowledged");
        assertTrue(clients.producerOf(Topics.USER_PLANS).closed(), "the producer is closed");
    }

    @Test
    void planSetExitsFailureWhenSendThrows() {
        clients.sendError = new SerializationException("schema registry unreachable");

        AgentRun run = AgentRun.execute(clients, "plan", "set", "--user", "alice", "--limit", "10");

        assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().contains("Failed to send the plan of user 'alice' to user-plans: "
            + "schema registry unreachable"), run.err());
        assertEquals("", run.out());
        MockProducer<String, UserPlan> producer = clients.producerOf(Topics.USER_PLANS);
        assertNotNull(producer);
        assertTrue(producer.closed(), "the producer is closed");
    }

    @Test
    void planWithoutSubcommandExitsUsage() {
        AgentRun run = AgentRun.execute(clients, "plan");

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing subcommand: set or show"), run.err());
    }
}
