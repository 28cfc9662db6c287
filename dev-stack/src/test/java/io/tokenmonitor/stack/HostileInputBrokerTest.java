package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.validation.DeadLetterSizeLimit;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Hostile input on a real broker: a representative set of malformed records, including a 10 MB completion
 * that a compressing producer gets past the broker's 1 MB limit, each ends in the dead-letter topic with its
 * reason, is counted in {@code /api/v1/stats} and listed by {@code agent dlq}, and Kafka Streams stays RUNNING
 * and keeps counting. The agent's own producer rejects a 10 MB completion before sending it.
 */
@Timeout(240)
class HostileInputBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final int TEN_MB = 10_000_000;

    @TempDir
    Path stateDir;

    @TempDir
    Path inputDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldDeadLetterHostileRecordsAndStayRunning() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start()) {
            TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
            try (SchemaRegistryServer registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0,
                broker.bootstrapServers(), (short) 1, Duration.ofSeconds(30)).start()) {
                RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryServer.url());
                ProcessorConfig config = ProcessorConfig.defaults()
                    .withApplicationId("hostile-input-test")
                    .withBootstrapServers(broker.bootstrapServers())
                    .withSchemaRegistryUrl(registryServer.url())
                    .withStateDir(stateDir)
                    .withHttpPort(0);
                try (TokenMonitorProcessor processor = TokenMonitorProcessor.start(config, registry,
                    ApiTokens.of(ADMIN_TOKEN, Map.of()))) {
                    processor.awaitRunning(WAIT);
                    checkHostileRecords(broker, registryServer, registry, processor);
                }
            }
        }
    }

    private void checkHostileRecords(EmbeddedKafkaBroker broker, SchemaRegistryServer registryServer,
                                     RestSchemaRegistryClient registry, TokenMonitorProcessor processor)
        throws Exception {
        AvroSerde<TokenRequest> serde = new AvroSerde<>(registry, TokenRequest.class);
        String topic = Topics.TOKEN_REQUESTS.name();
        Instant now = Instant.now();
        byte[] valid = serde.serialize(topic, request("valid", "user-ok", now).setReportedPromptTokens(3L)
            .setReportedCompletionTokens(4L).build());
        byte[] unknownSchema = serde.serialize(topic, request("unknown", "user-unknown-schema", now).build());
        ByteBuffer.wrap(unknownSchema).putInt(1, 987_654);
        byte[] wrongType = new AvroSerde<>(registry, UsageReset.class).serialize(Topics.USAGE_RESETS.name(),
            UsageReset.newBuilder().setResetId("r").setUserId("user-wrong-type").setRequestedAt(now).build());
        String longUser = "u".repeat(300);

        // Key of each record, which is unique, and the reason expected for it.
        Map<String, String> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = rawProducer(broker.bootstrapServers())) {
            send(producer, "user-garbage", "not avro".getBytes(StandardCharsets.UTF_8));
            expected.put("user-garbage", "undecodable");
            send(producer, "user-unknown-schema", unknownSchema);
            expected.put("user-unknown-schema", "unknown-schema");
            send(producer, "user-wrong-type", wrongType);
            expected.put("user-wrong-type", "undecodable");
            send(producer, "user-null-value", null);
            expected.put("user-null-value", "undecodable");
            send(producer, "user\u0000nul", serde.serialize(topic, request("nul", "user\u0000nul", now).build()));
            expected.put("user\u0000nul", "invalid-field");
            send(producer, longUser, serde.serialize(topic, request("long", longUser, now).build()));
            expected.put(longUser, "oversized");
            send(producer, "user-negative", serde.serialize(topic, request("negative", "user-negative", now)
                .setReportedPromptTokens(-1L).build()));
            expected.put("user-negative", "negative-count");
            send(producer, "user-overflow", serde.serialize(topic, request("overflow", "user-overflow", now)
                .setReportedCompletionTokens(Long.MAX_VALUE).build()));
            expected.put("user-overflow", "count-out-of-range");
            send(producer, "user-future", serde.serialize(topic, request("future", "user-future",
                Instant.parse("3000-01-01T00:00:00Z")).build()));
            expected.put("user-future", "future");
            send(producer, "user-other", serde.serialize(topic, request("mismatch", "user-ok", now).build()));
            expected.put("user-other", "key-mismatch");
            // 10 MB of repeated text compresses far below the broker's 1 MB limit, so it reaches the processor.
            send(producer, "user-big", serde.serialize(topic, request("big", "user-big", now)
                .setCompletionText("x".repeat(TEN_MB)).build()));
            expected.put("user-big", "oversized");
            send(producer, "user-ok", valid);
        }

        Map<String, ConsumerRecord<String, byte[]>> deadByKey = new HashMap<>();
        try (TopicReader<byte[]> reader = new TopicReader<>(broker.bootstrapServers(),
            Topics.TOKEN_REQUESTS_DLQ.name(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<String, byte[]> record : reader.readUntil(read -> read.size() >= expected.size(),
                WAIT)) {
                deadByKey.put(record.key(), record);
            }
        }
        Map<String, String> actual = new HashMap<>();
        deadByKey.forEach((key, record) -> actual.put(key, header(record, DeadLetterHeaders.REASON)));
        assertEquals(expected, actual);

        ConsumerRecord<String, byte[]> big = deadByKey.get("user-big");
        assertEquals(DeadLetterSizeLimit.MAX_VALUE_BYTES, big.value().length);
        assertTrue(Integer.parseInt(header(big, DeadLetterHeaders.VALUE_TRUNCATED)) > TEN_MB);
        assertEquals(topic, header(big, DeadLetterHeaders.SOURCE_TOPIC));

        JsonNode usage = awaitUsage(processor, "user-ok");
        assertEquals(7, usage.get("totalTokens").asLong());
        assertEquals(KafkaStreams.State.RUNNING, processor.streams().state());
        JsonNode stats = getJson(processor, "/api/v1/stats").get("deadLetteredSinceStart");
        assertEquals(3, stats.get("undecodable").asLong());
        assertEquals(1, stats.get("unknown-schema").asLong());
        assertEquals(2, stats.get("oversized").asLong());
        assertEquals(1, stats.get("invalid-field").asLong());
        assertEquals(1, stats.get("negative-count").asLong());
        assertEquals(1, stats.get("count-out-of-range").asLong());
        assertEquals(1, stats.get("future").asLong());
        assertEquals(1, stats.get("key-mismatch").asLong());

        checkAgentListsOversized(broker, registryServer);
        checkAgentRejectsHugeCompletion(broker, registryServer);
        assertEquals(KafkaStreams.State.RUNNING, processor.streams().state());
    }

    private void checkAgentListsOversized(EmbeddedKafkaBroker broker, SchemaRegistryServer registryServer)
        throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentCommand.commandLine(AgentClients.kafka());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("dlq", "--reason", "oversized", "--bootstrap-servers",
            broker.bootstrapServers(), "--schema-registry-url", registryServer.url());

        assertEquals(0, exitCode, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        for (String line : lines) {
            assertTrue(line.length() < 2_000, "a dead letter's line stays short: " + line.length());
            assertEquals("oversized", JSON.readTree(line).get("reason").asText());
        }
        JsonNode big = lines.stream().map(HostileInputBrokerTest::readTree)
            .filter(line -> line.get("key").asText().equals("user-big")).findFirst().orElseThrow();
        assertEquals(DeadLetterSizeLimit.MAX_VALUE_BYTES, big.get("valueBytes").asInt());
        assertTrue(big.get("valueTruncatedFrom").asLong() > TEN_MB);
    }

    /** The agent's producer keeps Kafka's default max.request.size of 1 MiB and rejects the record itself. */
    private void checkAgentRejectsHugeCompletion(EmbeddedKafkaBroker broker, SchemaRegistryServer registryServer)
        throws Exception {
        Path file = inputDir.resolve("huge.jsonl");
        Files.writeString(file, "{\"requestId\":\"huge-1\",\"userId\":\"user-huge\",\"timestamp\":\""
            + Instant.now() + "\",\"model\":\"gpt-4o\",\"completionText\":\"" + "y".repeat(TEN_MB) + "\"}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentCommand.commandLine(AgentClients.kafka());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("replay", file.toString(), "--rate", "0", "--bootstrap-servers",
            broker.bootstrapServers(), "--schema-registry-url", registryServer.url());

        assertNotEquals(0, exitCode, out + "\n" + err);
        assertTrue(err.toString().contains("RecordTooLargeException"), err.toString());
    }

    private static TokenRequest.Builder request(String requestId, String userId, Instant time) {
        return TokenRequest.newBuilder().setRequestId(requestId).setUserId(userId).setTimestamp(time)
            .setModel("gpt-4o");
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), key.getBytes(StandardCharsets.UTF_8),
            value)).get();
    }

    private JsonNode awaitUsage(TokenMonitorProcessor processor, String userId) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode body = getJson(processor, "/api/v1/users/" + userId + "/usage");
            if (body.get("requests").asLong() >= 1) {
                return body;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Usage of " + userId + " was not counted: " + body);
            }
            Thread.sleep(100);
        }
    }

    private JsonNode getJson(TokenMonitorProcessor processor, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + processor.httpPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .GET()
            .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
