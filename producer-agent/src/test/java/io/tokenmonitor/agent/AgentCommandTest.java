package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.alerts.AlertJson;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

    private static final TopicPartition ALERTS_PARTITION = new TopicPartition("usage-alerts", 0);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void replayShouldSendBenchmarkFileRoundRobin() {
        Path file = SharedData.llmRequestsFile("Meta-Llama-3-70B-Instruct.json");
        MockClients clients = new MockClients();

        int exitCode = execute(clients, "replay", file.toString(), "--users", "20");

        assertEquals(AgentCommand.EXIT_OK, exitCode, err.toString());
        assertEquals("sent=805 failed=0 skipped=0", out.toString().strip());
        assertEquals(805, clients.producer.history().size());
        Map<String, Integer> keys = new TreeMap<>();
        clients.producer.history().forEach(record -> keys.merge(record.key(), 1, Integer::sum));
        assertEquals(20, keys.size());
        assertEquals(41, keys.get("user-5"));
        assertEquals(40, keys.get("user-6"));
        assertTrue(clients.producer.closed(), "the producer is closed");
    }

    @Test
    void replayShouldReportSkippedLines() throws IOException {
        Path file = Files.write(dir.resolve("requests.jsonl"), List.of(
            "{\"model\":\"m\",\"userId\":\"alice\",\"timestamp\":\"2025-09-01T10:00:00Z\"}",
            "{\"userId\":\"bob\"}",
            "{\"model\":\"m\"}"), StandardCharsets.UTF_8);
        MockClients clients = new MockClients();

        int exitCode = execute(clients, "replay", file.toString());

        assertEquals(AgentCommand.EXIT_OK, exitCode, err.toString());
        assertEquals("sent=2 failed=0 skipped=1", out.toString().strip());
        assertTrue(err.toString().contains("Skipped line 2 of requests.jsonl: missing model"), err.toString());
        List<String> keys = clients.producer.history().stream().map(record -> record.key()).toList();
        assertEquals(List.of("alice", ""), keys);
    }

    @Test
    void replayShouldSpreadTimestampsOverDates() throws IOException {
        Path file = Files.write(dir.resolve("two.jsonl"), List.of(
            "{\"model\":\"m\",\"userId\":\"a\"}",
            "{\"model\":\"m\",\"userId\":\"a\"}"), StandardCharsets.UTF_8);
        MockClients clients = new MockClients();

        int exitCode = execute(clients, "replay", file.toString(), "--from", "2025-08-01", "--to", "2025-08-03");

        assertEquals(AgentCommand.EXIT_OK, exitCode, err.toString());
        List<Instant> timestamps = clients.producer.history().stream()
            .map(record -> record.value().getTimestamp()).toList();
        assertEquals(List.of(Instant.parse("2025-08-01T00:00:00Z"), Instant.parse("2025-08-02T00:00:00Z")), timestamps);
    }

    @Test
    void replayShouldFailOnTruncatedArray() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.json"),
            "[{\"instruction\":\"a\",\"output\":\"b\",\"generator\":\"g\"},{\"instr");
        MockClients clients = new MockClients();

        int exitCode = execute(clients, "replay", file.toString());

        assertEquals(AgentCommand.EXIT_FAILURE, exitCode);
        assertEquals("sent=1 failed=0 skipped=0", out.toString().strip());
        assertTrue(err.toString().contains("Stopped because the input could not be read"), err.toString());
    }

    @Test
    void replayShouldRejectMissingFile() {
        int exitCode = execute(new MockClients(), "replay", dir.resolve("absent.jsonl").toString());

        assertEquals(AgentCommand.EXIT_USAGE, exitCode);
        assertTrue(err.toString().contains("Replay file not found"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void replayShouldRejectInvalidOptions() throws IOException {
        Path file = Files.writeString(dir.resolve("one.jsonl"), "{\"model\":\"m\"}\n");

        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients(), "replay", file.toString(), "--users", "0"));
        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients(), "replay", file.toString(), "--to", "2025-09-01"));
        assertEquals(AgentCommand.EXIT_USAGE,
            execute(new MockClients(), "replay", file.toString(), "--from", "2025-09-02", "--to", "2025-09-01"));
        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients(), "replay", file.toString(), "--rate", "-1"));
        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients(), "replay", file.toString(), "--from", "soon"));
    }

    @Test
    void simulateShouldSendCount() {
        MockClients clients = new MockClients();

        int exitCode = execute(clients, "simulate", "--count", "25", "--rate", "0", "--users", "3", "--seed", "11");

        assertEquals(AgentCommand.EXIT_OK, exitCode, err.toString());
        assertEquals("sent=25 failed=0 skipped=0", out.toString().strip());
        assertEquals(25, clients.producer.history().size());
        for (var record : clients.producer.history()) {
            TokenRequest request = record.value();
            assertEquals(request.getUserId(), record.key());
            assertTrue(request.getUserId().matches("user-[123]"), request.getUserId());
        }
    }

    @Test
    void simulateShouldUseConnectionOptions() {
        MockClients clients = new MockClients();

        execute(clients, "simulate", "--count", "1", "--bootstrap-servers", "127.0.0.1:19092");

        assertEquals("127.0.0.1:19092", clients.producerProperties.get("bootstrap.servers"));
    }

    @Test
    void alertsShouldPrintOnlyJsonLinesOnStdout() {
        MockConsumer<String, UsageAlert> consumer = new MockConsumer<>("earliest");
        UsageAlert alert = alertOf("a-1");
        preload(consumer, alert);
        MockClients clients = new MockClients(consumer);

        int exitCode = execute(clients, "alerts", "--from-beginning", "--max-alerts", "1");

        assertEquals(AgentCommand.EXIT_OK, exitCode, err.toString());
        assertEquals(AlertJson.toLine(alert) + System.lineSeparator(), out.toString());
        assertEquals("read_committed", clients.consumerProperties.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("earliest", clients.consumerProperties.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        String groupId = (String) clients.consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG);
        assertTrue(groupId.startsWith("token-monitor-alerts-"), groupId);
        assertTrue(consumer.closed(), "the consumer is closed");
    }

    @Test
    void alertsShouldUseGivenGroupAndLatestOffsets() {
        MockConsumer<String, UsageAlert> consumer = new MockConsumer<>("latest");
        preload(consumer, alertOf("a-1"));
        MockClients clients = new MockClients(consumer);

        execute(clients, "alerts", "--group", "ops", "--max-alerts", "1");

        assertEquals("ops", clients.consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("latest", clients.consumerProperties.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    }

    @Test
    void alertsShouldExitIncompleteOnTimeout() {
        MockConsumer<String, UsageAlert> consumer = new BlockingMockConsumer();
        preload(consumer, alertOf("a-1"));
        MockClients clients = new MockClients(consumer);

        int exitCode = execute(clients, "alerts", "--from-beginning", "--max-alerts", "2", "--timeout", "300ms");

        assertEquals(AgentCommand.EXIT_INCOMPLETE, exitCode);
        assertEquals(1, out.toString().lines().count());
    }

    @Test
    void agentShouldRejectUnknownSubcommand() {
        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients(), "publish"));
        assertEquals(AgentCommand.EXIT_USAGE, execute(new MockClients()));
    }

    @Test
    void helpShouldExitZero() {
        assertEquals(AgentCommand.EXIT_OK, execute(new MockClients(), "replay", "--help"));
        assertTrue(out.toString().contains("--schema-registry-url"), out.toString());
    }

    private int execute(MockClients clients, String... args) {
        CommandLine commandLine = AgentCommand.commandLine(clients);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static UsageAlert alertOf(String alertId) {
        return UsageAlert.newBuilder()
            .setAlertId(alertId)
            .setUserId("alice")
            .setPeriod("2025-09")
            .setPeriodStart(Instant.parse("2025-09-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2025-10-01T00:00:00Z"))
            .setThresholdPercent(80)
            .setLimit(1000L)
            .setTotalTokens(812L)
            .setTimestamp(Instant.parse("2025-09-02T00:00:00Z"))
            .setRequestId("r-1")
            .build();
    }

    private static void preload(MockConsumer<String, UsageAlert> consumer, UsageAlert alert) {
        consumer.updateBeginningOffsets(Map.of(ALERTS_PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(ALERTS_PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(ALERTS_PARTITION));
            consumer.addRecord(new ConsumerRecord<>("usage-alerts", 0, 0, alert.getUserId(), alert));
        });
    }

    /** A MockConsumer whose poll waits out its timeout when it has nothing to return, like a real one. */
    private static final class BlockingMockConsumer extends MockConsumer<String, UsageAlert> {
        BlockingMockConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<String, UsageAlert> poll(Duration timeout) {
            ConsumerRecords<String, UsageAlert> records = super.poll(timeout);
            // Object.wait(0) waits forever, so a poll shorter than a millisecond returns at once.
            if (records.isEmpty() && timeout.toMillis() > 0) {
                try {
                    wait(timeout.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }
}
