package io.tokenmonitor.agent.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.topics.Topics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class UsageResetCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockClients clients = new MockClients();

    @Test
    void usageResetSendsRequestKeyedByUser() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        AgentRun run = AgentRun.execute(clients, "usage", "reset", "--user", "alice", "--requested-by", "ops-oncall");

        Instant after = Instant.now();
        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        MockProducer<String, UsageReset> producer = clients.producerOf(Topics.USAGE_RESETS);
        assertEquals(1, producer.history().size());
        ProducerRecord<String, UsageReset> record = producer.history().get(0);
        assertEquals("usage-resets", record.topic());
        assertEquals("alice", record.key());

        UsageReset reset = record.value();
        assertEquals(reset.getResetId(), UUID.fromString(reset.getResetId()).toString());
        assertEquals("alice", reset.getUserId());
        assertFalse(reset.getRequestedAt().isBefore(before), reset.getRequestedAt() + " is before " + before);
        assertFalse(reset.getRequestedAt().isAfter(after), reset.getRequestedAt() + " is after " + after);
        assertEquals("ops-oncall", reset.getRequestedBy());
        assertEquals("all", clients.producerProperties.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", clients.producerProperties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertTrue(producer.closed(), "the producer is closed");
    }

    @Test
    void usageResetPrintsRequestAsJsonLine() throws Exception {
        AgentRun run = AgentRun.execute(clients, "usage", "reset", "--user", "alice", "--requested-by", "ops");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), run.out());
        UsageReset sent = clients.producerOf(Topics.USAGE_RESETS).history().get(0).value();
        JsonNode printed = JSON.readTree(run.out());
        assertEquals(sent.getResetId(), printed.get("resetId").asText());
        assertEquals("alice", printed.get("userId").asText());
        assertEquals(sent.getRequestedAt(), Instant.parse(printed.get("requestedAt").asText()));
        assertEquals("ops", printed.get("requestedBy").asText());
        assertEquals(4, printed.size(), "one JSON field per schema field");
        assertTrue(run.err().contains("Sent the usage reset of user 'alice' to usage-resets"), run.err());
    }

    @Test
    void usageResetDefaultsRequesterToOsUserName() {
        String osUserName = System.getProperty("user.name");
        assumeTrue(osUserName != null && !osUserName.isBlank(), "the JVM reports no user name");

        AgentRun run = AgentRun.execute(clients, "usage", "reset", "--user", "alice");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals(osUserName, clients.producerOf(Topics.USAGE_RESETS).history().get(0).value().getRequestedBy());
    }

    @Test
    void requesterIsNullWithoutOsUser() {
        UsageResetCommand command = new UsageResetCommand();
        new CommandLine(command).parseArgs("--user", "alice");
        Instant requestedAt = Instant.parse("2026-12-04T10:00:00Z");

        UsageReset reset = command.validatedReset("reset-1", requestedAt, " ");

        assertNull(reset.getRequestedBy());
        assertEquals("reset-1", reset.getResetId());
        assertEquals(requestedAt, reset.getRequestedAt());
    }

    @Test
    void usageResetGivesEachRequestNewId() {
        AgentRun first = AgentRun.execute(clients, "usage", "reset", "--user", "alice");
        String firstId = clients.producerOf(Topics.USAGE_RESETS).history().get(0).value().getResetId();
        AgentRun second = AgentRun.execute(clients, "usage", "reset", "--user", "alice");
        String secondId = clients.producerOf(Topics.USAGE_RESETS).history().get(0).value().getResetId();

        assertEquals(AgentCommand.EXIT_OK, first.exitCode(), first.err());
        assertEquals(AgentCommand.EXIT_OK, second.exitCode(), second.err());
        assertNotEquals(firstId, secondId);
    }

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
            Arguments.of(List.of(), "Missing required option: '--user=USER_ID'"),
            Arguments.of(List.of("--user", ""), "Invalid --user: expected a non-blank value"),
            Arguments.of(List.of("--user", "x".repeat(300)), "Invalid --user: 300 characters, expected at most 256"),
            Arguments.of(List.of("--user", "a\u001bb"),
                "Invalid --user 'a\\u001bb': contains the control character U+001B"),
            Arguments.of(List.of("--user", "alice", "--requested-by", " "),
                "Invalid --requested-by: expected a non-blank value"),
            Arguments.of(List.of("--user", "alice", "--requested-by", "ops\n"),
                "Invalid --requested-by 'ops\\u000a': contains the control character U+000A"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidOptions")
    void usageResetRejectsInvalidOptionBeforeSending(List<String> options, String expectedError) {
        String[] args = Stream.concat(Stream.of("usage", "reset"), options.stream()).toArray(String[]::new);

        AgentRun run = AgentRun.execute(clients, args);

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains(expectedError), run.err());
        assertEquals("", run.out());
        assertTrue(clients.topicProducers.isEmpty(), "no producer is created for invalid options");
    }

    @Test
    void usageResetExitsFailureWhenAckFails() {
        clients.ackError = new NotEnoughReplicasException("not enough in-sync replicas");

        AgentRun run = AgentRun.execute(clients, "usage", "reset", "--user", "alice");

        assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().contains("Failed to send the usage reset of user 'alice' to usage-resets: "
            + "org.apache.kafka.common.errors.NotEnoughReplicasException: not enough in-sync replicas"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void usageWithoutSubcommandExitsUsage() {
        AgentRun run = AgentRun.execute(clients, "usage");

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing subcommand: reset"), run.err());
    }
}
