package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the agent's {@code plan set} and {@code usage reset} commands against a real in-process broker and
 * schema registry. Each record is read back from its topic with read_committed and the topic's own serde.
 */
@Timeout(120)
class PlanAndResetCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void planSetAndUsageResetAreReadBack() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).build().start();
             SchemaRegistryServer registryServer = new SchemaRegistryServer("127.0.0.1", 0).start()) {
            String bootstrapServers = broker.bootstrapServers();
            TopicSetup.createProductTopics(bootstrapServers, 1, (short) 1, Duration.ofSeconds(30));
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            int planExitCode = AgentCommand.run("plan", "set", "--user", "alice", "--plan-name", "team",
                "--limit", "50000", "--thresholds", "90,50", "--hard-stop", "110", "--time-zone", "Asia/Tokyo",
                "--anchor-day", "31", "--bootstrap-servers", bootstrapServers,
                "--schema-registry-url", registryServer.url());
            int resetExitCode = AgentCommand.run("usage", "reset", "--user", "alice", "--requested-by", "ops",
                "--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryServer.url());

            Instant after = Instant.now();
            assertEquals(AgentCommand.EXIT_OK, planExitCode);
            assertEquals(AgentCommand.EXIT_OK, resetExitCode);
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryServer.url());

            List<ConsumerRecord<String, UserPlan>> plans;
            try (TopicReader<UserPlan> reader = new TopicReader<>(bootstrapServers, Topics.USER_PLANS.name(),
                Topics.USER_PLANS.valueSerde(registry).deserializer())) {
                reader.readUntil(read -> !read.isEmpty(), WAIT);
                plans = reader.readToEnd(WAIT);
            }
            assertEquals(1, plans.size());
            assertEquals("alice", plans.get(0).key());
            UserPlan plan = plans.get(0).value();
            assertEquals("alice", plan.getUserId());
            assertEquals("team", plan.getPlanName());
            assertEquals(50_000L, plan.getMonthlyTokenLimit());
            assertEquals(List.of(50, 90), plan.getThresholdsPercent());
            assertEquals(110, plan.getHardStopPercent());
            assertEquals("Asia/Tokyo", plan.getTimeZone());
            assertEquals(31, plan.getAnchorDay());
            assertFalse(plan.getUpdatedAt().isBefore(before), plan.getUpdatedAt() + " is before " + before);
            assertFalse(plan.getUpdatedAt().isAfter(after), plan.getUpdatedAt() + " is after " + after);

            List<ConsumerRecord<String, UsageReset>> resets;
            try (TopicReader<UsageReset> reader = new TopicReader<>(bootstrapServers, Topics.USAGE_RESETS.name(),
                Topics.USAGE_RESETS.valueSerde(registry).deserializer())) {
                reader.readUntil(read -> !read.isEmpty(), WAIT);
                resets = reader.readToEnd(WAIT);
            }
            assertEquals(1, resets.size());
            assertEquals("alice", resets.get(0).key());
            UsageReset reset = resets.get(0).value();
            assertEquals(reset.getResetId(), UUID.fromString(reset.getResetId()).toString());
            assertEquals("alice", reset.getUserId());
            assertEquals("ops", reset.getRequestedBy());
            assertFalse(reset.getRequestedAt().isBefore(before), reset.getRequestedAt() + " is before " + before);
            assertFalse(reset.getRequestedAt().isAfter(after), reset.getRequestedAt() + " is after " + after);
        }
    }
}
