package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on a real in-process broker: the agent replays a shared data file, the processor
 * counts it, and the totals, alerts, HTTP responses and dead letters are checked against the input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class EndToEndTest {

    private static final long MONTHLY_LIMIT = 20_000;
    private static final int USERS = 20;
    private static final int RECORDS = 805;
    private static final List<Integer> THRESHOLDS = List.of(50, 80, 90, 100);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = ApiTokens.generate();

    @TempDir
    static Path stateDir;

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registryServer;
    private TokenMonitorProcessor processor;
    private RestSchemaRegistryClient registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startStack() throws Exception {
        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start();
        TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
        registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0, broker.bootstrapServers(), (short) 1,
            Duration.ofSeconds(30)).start();
        registry = new RestSchemaRegistryClient(registryServer.url());

        ProcessorConfig config = ProcessorConfig.defaults()
            .withApplicationId("end-to-end-test")
            .withBootstrapServers(broker.bootstrapServers())
            .withSchemaRegistryUrl(registryServer.url())
            .withStateDir(stateDir)
            .withHttpPort(0)
            .withMonthlyLimit(MONTHLY_LIMIT);
        processor = TokenMonitorProcessor.start(config, registry, ApiTokens.of(ADMIN_TOKEN, Map.of()));
        processor.awaitRunning(WAIT);
    }

    @AfterAll
    void stopStack() {
        if (processor != null) {
            processor.close();
        }
        if (registryServer != null) {
            registryServer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void replayedFileIsCountedAlertedAndServed() throws Exception {
        Path file = SharedData.file("Meta-Llama-3-70B-Instruct.json");
        int exitCode = AgentCommand.run("replay", file.toString(), "--users", Integer.toString(USERS), "--rate", "0",
            "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryServer.url());
        assertEquals(0, exitCode);

        List<ConsumerRecord<String, TokenUsage>> usage;
        try (TopicReader<TokenUsage> reader = new TopicReader<>(broker.bootstrapServers(), Topics.TOKEN_USAGE.name(),
            new AvroSerde<>(registry, TokenUsage.class).deserializer())) {
            usage = reader.readUntil(read -> read.size() >= RECORDS, WAIT);
        }
        assertEquals(RECORDS, usage.size());
        Map<String, Long> expectedTotals = new HashMap<>();
        Map<String, Long> expectedRequests = new HashMap<>();
        for (ConsumerRecord<String, TokenUsage> record : usage) {
            TokenUsage value = record.value();
            assertEquals(record.key(), value.getUserId());
            assertEquals(value.getPromptTokens() + value.getCompletionTokens(), value.getTotalTokens());
            expectedTotals.merge(value.getUserId(), value.getTotalTokens(), Long::sum);
            expectedRequests.merge(value.getUserId(), 1L, Long::sum);
        }
        assertEquals(USERS, expectedTotals.size());

        Set<String> expectedAlerts = new TreeSet<>();
        expectedTotals.forEach((userId, total) -> THRESHOLDS.stream()
            .filter(threshold -> total * 100 >= threshold * MONTHLY_LIMIT)
            .forEach(threshold -> expectedAlerts.add(userId + "@" + threshold)));
        assertTrue(expectedAlerts.size() >= USERS, "the limit should be low enough for every user to alert");

        List<ConsumerRecord<String, UsageAlert>> alerts;
        try (TopicReader<UsageAlert> reader = new TopicReader<>(broker.bootstrapServers(), Topics.USAGE_ALERTS.name(),
            new AvroSerde<>(registry, UsageAlert.class).deserializer())) {
            reader.readUntil(read -> read.size() >= expectedAlerts.size(), WAIT);
            alerts = reader.readToEnd(WAIT);
        }
        Set<String> actualAlerts = new TreeSet<>();
        Set<String> alertIds = new HashSet<>();
        for (ConsumerRecord<String, UsageAlert> record : alerts) {
            UsageAlert alert = record.value();
            actualAlerts.add(alert.getUserId() + "@" + alert.getThresholdPercent());
            alertIds.add(alert.getAlertId());
            assertTrue(alert.getTotalTokens() * 100 >= alert.getThresholdPercent() * MONTHLY_LIMIT, alert.toString());
        }
        assertEquals(expectedAlerts, actualAlerts);
        assertEquals(expectedAlerts.size(), alerts.size(), "each threshold alerts exactly once per user");
        assertEquals(alerts.size(), alertIds.size());

        long requestSum = 0;
        for (int i = 1; i <= USERS; i++) {
            String userId = "user-" + i;
            JsonNode body = getJson("/api/v1/users/" + userId + "/usage");
            assertEquals(expectedTotals.get(userId).longValue(), body.get("totalTokens").asLong(), userId);
            assertEquals(expectedRequests.get(userId).longValue(), body.get("requests").asLong(), userId);
            assertEquals(MONTHLY_LIMIT, body.get("limit").asLong());
            requestSum += body.get("requests").asLong();

            JsonNode recent = getJson("/api/v1/users/" + userId + "/requests?limit=100").get("requests");
            assertEquals(expectedRequests.get(userId).longValue(), recent.size(), userId);
            long recentTotal = 0;
            for (JsonNode request : recent) {
                recentTotal += request.get("totalTokens").asLong();
            }
            assertEquals(expectedTotals.get(userId).longValue(), recentTotal, userId);
        }
        assertEquals(RECORDS, requestSum);
    }

    @Test
    @Order(2)
    void badInputIsDeadLetteredAndProcessingContinues() throws Exception {
        AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(registry, TokenRequest.class);
        byte[] valid = requestSerde.serialize(Topics.TOKEN_REQUESTS.name(), TokenRequest.newBuilder()
            .setRequestId("bad-input-check").setUserId("user-dlq").setTimestamp(Instant.now())
            .setModel("gpt-4o").setReportedPromptTokens(5L).setReportedCompletionTokens(5L).build());
        byte[] unknownSchema = valid.clone();
        ByteBuffer.wrap(unknownSchema).putInt(1, 424242);
        byte[] missingUser = requestSerde.serialize(Topics.TOKEN_REQUESTS.name(), TokenRequest.newBuilder()
            .setRequestId("no-user").setUserId("").setTimestamp(Instant.now()).setModel("gpt-4o").build());
        byte[] negative = requestSerde.serialize(Topics.TOKEN_REQUESTS.name(), TokenRequest.newBuilder()
            .setRequestId("negative").setUserId("user-dlq").setTimestamp(Instant.now()).setModel("gpt-4o")
            .setReportedPromptTokens(-5L).build());

        Map<String, String> sentKeyToReason = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = rawProducer()) {
            send(producer, "garbage", "garbage bytes".getBytes(StandardCharsets.UTF_8));
            sentKeyToReason.put("garbage", "undecodable");
            send(producer, "unknown-schema", unknownSchema);
            sentKeyToReason.put("unknown-schema", "unknown-schema");
            send(producer, "", missingUser);
            sentKeyToReason.put("", "missing-field");
            send(producer, "user-dlq", negative);
            sentKeyToReason.put("user-dlq", "negative-count");
            send(producer, "user-dlq", valid);
        }

        Map<String, String> actual = new HashMap<>();
        try (TopicReader<byte[]> reader = new TopicReader<>(broker.bootstrapServers(),
            Topics.TOKEN_REQUESTS_DLQ.name(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<String, byte[]> record : reader.readUntil(read -> read.size() >= 4, WAIT)) {
                String reason = new String(record.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                    StandardCharsets.UTF_8);
                actual.put(record.key(), reason);
            }
        }
        assertEquals(sentKeyToReason, actual);

        JsonNode usage = awaitUsage("user-dlq", 1);
        assertEquals(10, usage.get("totalTokens").asLong());
        assertEquals(KafkaStreams.State.RUNNING, processor.streams().state());
        JsonNode stats = getJson("/api/v1/stats").get("deadLetteredSinceStart");
        assertEquals(1, stats.get("undecodable").asLong());
        assertEquals(1, stats.get("unknown-schema").asLong());
        assertEquals(1, stats.get("negative-count").asLong());
    }

    @Test
    @Order(3)
    void userPlanAndResetApplyToOneUser() throws Exception {
        String connection = "--bootstrap-servers=" + broker.bootstrapServers();
        String registryUrl = "--schema-registry-url=" + registryServer.url();
        assertEquals(0, AgentCommand.run("plan", "set", "--user", "u1", "--limit", "5000", "--thresholds", "75,100",
            "--time-zone", "Asia/Tokyo", "--anchor-day", "31", connection, registryUrl));
        JsonNode plan = awaitJson("/api/v1/users/u1/plan", body -> !body.get("isDefault").asBoolean());
        assertEquals(5000, plan.get("monthlyTokenLimit").asLong());
        assertEquals("Asia/Tokyo", plan.get("timeZone").asText());

        sendReported("u1", "u1-a", 3000);
        sendReported("u1", "u1-b", 800);
        sendReported("u2", "u2-a", 800);
        JsonNode usage = awaitUsage("u1", 2);
        assertEquals(3800, usage.get("totalTokens").asLong());
        assertEquals(5000, usage.get("limit").asLong());
        ZonedDateTime start = Instant.parse(usage.get("periodStart").asText()).atZone(ZoneId.of("Asia/Tokyo"));
        assertEquals(LocalTime.MIDNIGHT, start.toLocalTime(), "a Tokyo period starts at 00:00 Tokyo time");
        assertTrue(start.getDayOfMonth() == 31 || start.getDayOfMonth() == start.toLocalDate().lengthOfMonth(),
            "anchor 31 starts on the 31st or the month's last day: " + start);
        assertEquals(start.toLocalDate().toString(), usage.get("period").asText());
        assertEquals(MONTHLY_LIMIT, awaitUsage("u2", 1).get("limit").asLong(), "other users keep the default plan");

        assertEquals(0, AgentCommand.run("usage", "reset", "--user", "u1", connection, registryUrl));
        JsonNode afterReset = awaitJson("/api/v1/users/u1/usage", body -> body.get("requests").asLong() == 0);
        assertEquals(0, afterReset.get("totalTokens").asLong());
        sendReported("u1", "u1-c", 4000);
        awaitUsage("u1", 1);

        List<UsageAlert> userAlerts;
        try (TopicReader<UsageAlert> reader = new TopicReader<>(broker.bootstrapServers(), Topics.USAGE_ALERTS.name(),
            new AvroSerde<>(registry, UsageAlert.class).deserializer())) {
            userAlerts = reader.readUntil(read -> read.stream()
                    .filter(record -> record.key().equals("u1")).count() >= 2, WAIT).stream()
                .map(ConsumerRecord::value)
                .filter(alert -> alert.getUserId().equals("u1"))
                .toList();
        }
        assertEquals(List.of(75, 75), userAlerts.stream().map(UsageAlert::getThresholdPercent).toList());
        assertEquals(usage.get("period").asText(), userAlerts.get(0).getPeriod());
        assertEquals(5000, userAlerts.get(0).getLimit());
        assertEquals(4000, userAlerts.get(1).getTotalTokens());
        assertTrue(!userAlerts.get(0).getAlertId().equals(userAlerts.get(1).getAlertId()),
            "an alert after a reset is a new alert");
    }

    private void sendReported(String userId, String requestId, long tokens) throws Exception {
        AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(registry, TokenRequest.class);
        byte[] value = requestSerde.serialize(Topics.TOKEN_REQUESTS.name(), TokenRequest.newBuilder()
            .setRequestId(requestId).setUserId(userId).setTimestamp(Instant.now()).setModel("gpt-4o")
            .setReportedPromptTokens(tokens).setReportedCompletionTokens(0L).build());
        try (KafkaProducer<String, byte[]> producer = rawProducer()) {
            send(producer, userId, value);
        }
    }

    private JsonNode awaitJson(String path, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode body = getJson(path);
            if (done.test(body)) {
                return body;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " did not reach the expected state: " + body);
            }
            Thread.sleep(100);
        }
    }

    private JsonNode awaitUsage(String userId, long requests) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode body = getJson("/api/v1/users/" + userId + "/usage");
            if (body.get("requests").asLong() >= requests) {
                return body;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Usage of " + userId + " did not reach " + requests + " requests: " + body);
            }
            Thread.sleep(100);
        }
    }

    private KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), key, value)).get();
    }

    private JsonNode getJson(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + processor.httpPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .GET()
            .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }
}
