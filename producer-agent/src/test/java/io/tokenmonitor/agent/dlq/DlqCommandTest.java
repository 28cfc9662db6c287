package io.tokenmonitor.agent.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DlqCommandTest {

    private static final String TOPIC = Topics.TOKEN_REQUESTS_DLQ.name();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Test
    void shouldPrintAllUntilEnd() throws Exception {
        addDeadLetter("user-1", new byte[] {0, 0, 0, 0, 7, 1, 2}, "undecodable", "2026-03-10T12:00:00Z");
        addDeadLetter("user-2", new byte[100_000], "oversized", "2026-03-11T12:00:00Z");

        AgentRun run = AgentRun.execute(new DeadLetterClients(), "dlq");

        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = parse(run.out());
        assertEquals(2, lines.size());
        JsonNode first = lines.get(0);
        assertEquals("undecodable", first.get("reason").asText());
        assertEquals("error of user-1", first.get("error").asText());
        assertEquals("token-requests", first.get("sourceTopic").asText());
        assertEquals(2, first.get("sourcePartition").asInt());
        assertEquals(40, first.get("sourceOffset").asLong());
        assertEquals("2026-03-10T12:00:00Z", first.get("rejectedAt").asText());
        assertEquals("user-1", first.get("key").asText());
        assertEquals(7, first.get("valueBytes").asInt());
        assertEquals("00000000070102", first.get("valuePreview").asText());
        JsonNode second = lines.get(1);
        assertEquals(100_000, second.get("valueBytes").asInt());
        assertEquals(2 * DeadLetterJson.PREVIEW_BYTES, second.get("valuePreview").asText().length());
        assertTrue(run.err().contains("Printed 2 dead letters"), run.err());
    }

    @Test
    void shouldFilterByReasonSinceAndLimit() throws Exception {
        addDeadLetter("a", new byte[] {1}, "late", "2026-03-01T00:00:00Z");
        addDeadLetter("b", new byte[] {2}, "oversized", "2026-03-02T00:00:00Z");
        addDeadLetter("c", new byte[] {3}, "late", "2026-03-03T00:00:00Z");
        addDeadLetter("d", new byte[] {4}, "late", "2026-03-04T00:00:00Z");

        AgentRun run = AgentRun.execute(new DeadLetterClients(), "dlq", "--reason", "late", "--since",
            "2026-03-02T00:00:00Z", "--limit", "1");

        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = parse(run.out());
        assertEquals(1, lines.size());
        assertEquals("c", lines.get(0).get("key").asText());
    }

    @Test
    void shouldPrintInvalidUtf8KeyAsHex() throws Exception {
        records.add(record(0, new byte[] {'u', (byte) 0xC3, 0x28}, null, "undecodable", "2026-03-01T00:00:00Z"));

        AgentRun run = AgentRun.execute(new DeadLetterClients(), "dlq");

        JsonNode line = parse(run.out()).get(0);
        assertEquals("hex:75c328", line.get("key").asText());
        assertTrue(line.get("valueBytes").isNull());
        assertFalse(run.out().contains("\u0000"));
    }

    @Test
    void shouldRejectZeroLimit() {
        AgentRun run = AgentRun.execute(new DeadLetterClients(), "dlq", "--limit", "0");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Invalid --limit 0"), run.err());
    }

    private void addDeadLetter(String key, byte[] value, String reason, String rejectedAt) {
        records.add(record(records.size(), key.getBytes(StandardCharsets.UTF_8), value, reason, rejectedAt));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value, String reason,
                                                         String rejectedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.ERROR, ("error of " + new String(key, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, "token-requests".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, "40".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REJECTED_AT, rejectedAt.getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, key.length,
            value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }

    private static List<JsonNode> parse(String out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** Clients whose byte consumer returns {@link #records} on one partition of the dead-letter topic. */
    private final class DeadLetterClients implements AgentClients {

        private final MockClients delegate = new MockClients();

        @Override
        public SchemaRegistryClient registry(String url) {
            return delegate.registry(url);
        }

        @Override
        public Producer<String, TokenRequest> producer(Properties properties, SchemaRegistryClient registry) {
            return delegate.producer(properties, registry);
        }

        @Override
        public <V> Producer<String, V> producer(Topic<V> topic, Properties properties, SchemaRegistryClient registry) {
            return delegate.producer(topic, properties, registry);
        }

        @Override
        public Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry) {
            return delegate.consumer(properties, registry);
        }

        @Override
        public Consumer<byte[], byte[]> byteConsumer(Properties properties) {
            assertEquals("read_committed", properties.get("isolation.level"));
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
            consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null)));
            consumer.updateBeginningOffsets(Map.of(partition, 0L));
            consumer.updateEndOffsets(Map.of(partition, (long) records.size()));
            consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
            return consumer;
        }
    }
}
