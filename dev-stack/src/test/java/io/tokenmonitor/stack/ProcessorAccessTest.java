package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor on a real in-process broker with token access control: who gets 200, 401 and 403, what
 * {@code /metrics} reports after known input, and that no token reaches the log.
 */
@Timeout(180)
class ProcessorAccessTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 12;

    @TempDir
    Path stateDir;

    @TempDir
    Path configDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tokensControlAccessAndNeverReachTheLog() throws Exception {
        String adminToken = ApiTokens.generate();
        String aliceToken = ApiTokens.generate();
        String bobToken = ApiTokens.generate();
        String unknownToken = ApiTokens.generate();
        Path tokensFile = configDir.resolve("tokens.properties");
        Files.writeString(tokensFile, "admin=" + adminToken + "\nuser.alice=" + aliceToken + "\nuser.bob="
            + bobToken + "\n", StandardCharsets.UTF_8);

        try (CapturedOutput output = new CapturedOutput()) {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build()
                     .start()) {
                TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
                try (SchemaRegistryServer registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0,
                         broker.bootstrapServers(), (short) 1, Duration.ofSeconds(30)).start();
                     TokenMonitorProcessor processor = TokenMonitorProcessor.start(
                         config(broker, registryServer),
                         new RestSchemaRegistryClient(registryServer.url()),
                         ApiTokens.load(null, tokensFile, Map.of()))) {
                    processor.awaitRunning(WAIT);
                    String api = "http://127.0.0.1:" + processor.httpPort();
                    sendRequests(broker, registryServer, "alice", REQUESTS);
                    awaitRequests(api, adminToken, "alice", REQUESTS);

                    checkAccess(api, adminToken, aliceToken, bobToken, unknownToken);
                    checkAgentPlanShow(api, adminToken);
                    checkMetrics(api);
                }
            }
            String log = output.stderr();
            assertTrue(log.contains("Starting processor"), "the log was not captured:\n" + log);
            for (String token : List.of(adminToken, aliceToken, bobToken, unknownToken)) {
                assertFalse(log.contains(token), "a token appears in the log");
                assertFalse(output.stdout().contains(token), "a token appears on stdout");
            }
        }
    }

    @Test
    void processorCommandRejectsMissingAdminToken() {
        assumeTrue(System.getenv(ApiTokens.ADMIN_TOKEN_ENV) == null,
            ApiTokens.ADMIN_TOKEN_ENV + " is set in this environment");
        try (CapturedOutput output = new CapturedOutput()) {
            // Port 1 is never contacted: the command fails on the tokens before it connects.
            int exitCode = TokenMonitor.run("processor", "--bootstrap-servers", "127.0.0.1:1",
                "--schema-registry-url", "http://127.0.0.1:1", "--http-port", "0");

            assertEquals(1, exitCode);
            assertTrue(output.stderr().contains("No admin token configured"), output.stderr());
            assertTrue(output.stderr().contains("--admin-token"), output.stderr());
            assertTrue(output.stderr().contains(ApiTokens.ADMIN_TOKEN_ENV), output.stderr());
        }
    }

    @Test
    void processorCommandRejectsWeakAdminToken() {
        String weak = "letmein";
        try (CapturedOutput output = new CapturedOutput()) {
            int exitCode = TokenMonitor.run("processor", "--bootstrap-servers", "127.0.0.1:1",
                "--schema-registry-url", "http://127.0.0.1:1", "--http-port", "0", "--admin-token", weak);

            assertEquals(1, exitCode);
            assertTrue(output.stderr().contains("Invalid admin token: expected 16"), output.stderr());
            assertFalse(output.stderr().contains(weak), output.stderr());
        }
    }

    private void checkAccess(String api, String adminToken, String aliceToken, String bobToken,
        String unknownToken) throws Exception {
        assertEquals(401, get(api, "/api/v1/users/alice/usage", null).statusCode());
        assertEquals(401, get(api, "/api/v1/users/alice/usage", unknownToken).statusCode());
        assertEquals(403, get(api, "/api/v1/users/alice/usage", bobToken).statusCode());
        assertEquals(403, get(api, "/api/v1/stats", aliceToken).statusCode());

        HttpResponse<String> own = get(api, "/api/v1/users/alice/usage", aliceToken);
        assertEquals(200, own.statusCode());
        assertEquals(REQUESTS, JSON.readTree(own.body()).get("requests").asLong());
        assertEquals(200, get(api, "/api/v1/users/bob/usage", bobToken).statusCode());
        assertEquals(200, get(api, "/api/v1/users/bob/usage", adminToken).statusCode());
        assertEquals(200, get(api, "/api/v1/stats", adminToken).statusCode());

        JsonNode whoami = JSON.readTree(get(api, "/api/v1/whoami", aliceToken).body());
        assertEquals("user", whoami.get("role").asText());
        assertEquals("alice", whoami.get("userId").asText());
    }

    private void checkAgentPlanShow(String api, String adminToken) {
        assertEquals(0, AgentCommand.run("plan", "show", "--user", "alice", "--api-url", api,
            "--admin-token", adminToken));
    }

    private void checkMetrics(String api) throws Exception {
        HttpResponse<String> response = get(api, "/metrics", null);
        assertEquals(200, response.statusCode());
        String metrics = response.body();
        assertEquals(REQUESTS, sample(metrics, "token_monitor_requests_metered_total"), metrics);
        assertEquals(0, sample(metrics, "token_monitor_alerts_raised_total"), metrics);
        assertTrue(metrics.contains("kafka_stream_"), "Kafka Streams' own metrics are missing");
        assertTrue(metrics.contains("token_monitor_http_requests_seconds_count{"), "HTTP latency is missing");
        assertTrue(metrics.contains("endpoint=\"/api/v1/users/{userId}/usage\""), "the usage endpoint is missing");
        assertFalse(metrics.contains("alice"), "a raw path with a user id leaked into the metrics");
    }

    /** Returns the value of a metric that has no labels. */
    private static double sample(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        assertTrue(matcher.find(), name + " is missing");
        return Double.parseDouble(matcher.group(1));
    }

    private ProcessorConfig config(EmbeddedKafkaBroker broker, SchemaRegistryServer registryServer) {
        return ProcessorConfig.defaults()
            .withApplicationId("processor-access-test")
            .withBootstrapServers(broker.bootstrapServers())
            .withSchemaRegistryUrl(registryServer.url())
            .withStateDir(stateDir)
            .withHttpPort(0)
            .withMonthlyLimit(1_000_000);
    }

    private static void sendRequests(EmbeddedKafkaBroker broker, SchemaRegistryServer registryServer,
        String userId, int count) throws Exception {
        AvroSerde<TokenRequest> serde = new AvroSerde<>(new RestSchemaRegistryClient(registryServer.url()),
            TokenRequest.class);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                 new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                TokenRequest request = TokenRequest.newBuilder()
                    .setRequestId(userId + "-" + i).setUserId(userId).setTimestamp(Instant.now())
                    .setModel("gpt-4o").setReportedPromptTokens(100L).setReportedCompletionTokens(10L).build();
                byte[] value = serde.serialize(Topics.TOKEN_REQUESTS.name(), request);
                producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), userId, value)).get();
            }
        }
    }

    private void awaitRequests(String api, String adminToken, String userId, long requests) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            HttpResponse<String> response = get(api, "/api/v1/users/" + userId + "/usage", adminToken);
            if (response.statusCode() == 200 && JSON.readTree(response.body()).get("requests").asLong() >= requests) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Usage of " + userId + " did not reach " + requests + " requests: "
                    + response.statusCode() + " " + response.body());
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(String api, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
