package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code src/test/node/kafka-interop.js} against a real in-process broker, the embedded registry and a
 * processor. The script produces {@code TokenRequest} events with the npm package kafkajs 2.2.4, encoded by
 * {@code @kafkajs/confluent-schema-registry} 3.9.0, and decodes the processor's {@code token-usage} and
 * {@code usage-alerts} records by the schema id in each value. The test checks that the processor counted
 * exactly the sent requests and that the script decoded one usage record per request and the limit alerts.
 *
 * <p>Skipped, with the reason logged, when {@code node} is not on the PATH or the Node packages are not
 * installed, and failed instead under {@code CI=true}. Install them with {@code dev-stack/src/test/node/install.sh}.
 */
@Timeout(240)
class KafkaJsInteropTest {

    private static final Logger log = LoggerFactory.getLogger(KafkaJsInteropTest.class);

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final String USER = "kafkajs-user";
    private static final int REQUEST_COUNT = 5;
    /** Lower than the requests' total, so the processor raises at least one alert. */
    private static final long MONTHLY_LIMIT = 500;
    private static final Duration SCRIPT_WAIT = Duration.ofSeconds(90);
    private static final Duration PROCESS_WAIT = SCRIPT_WAIT.plusSeconds(30);
    private static final Duration API_WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldProcessKafkaJsRequestsAndDecodeOutputInNode() throws Exception {
        assumeNodeClientInstalled();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start()) {
            TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
            try (SchemaRegistryServer registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0,
                    broker.bootstrapServers(), (short) 1, Duration.ofSeconds(30)).start()) {
                RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryServer.url());
                int requestSchemaId = registry.register(AvroSerde.valueSubject(Topics.TOKEN_REQUESTS.name()),
                    TokenRequest.getClassSchema());
                ProcessorConfig config = ProcessorConfig.defaults()
                    .withApplicationId("kafkajs-interop-test")
                    .withBootstrapServers(broker.bootstrapServers())
                    .withSchemaRegistryUrl(registryServer.url())
                    .withStateDir(workDir.resolve("state"))
                    .withHttpPort(0)
                    .withMonthlyLimit(MONTHLY_LIMIT);
                try (TokenMonitorProcessor processor = TokenMonitorProcessor.start(config, registry,
                        ApiTokens.of(ADMIN_TOKEN, Map.of()))) {
                    processor.awaitRunning(Duration.ofSeconds(90));

                    JsonNode result = runScript(broker.bootstrapServers(), registryServer.url());

                    assertEquals(requestSchemaId, result.get("requestSchemaId").intValue());
                    checkOutput(result, registryServer);
                    checkApiTotals(processor.httpPort(), result.get("sent"));
                }
            }
        }
    }

    private static void checkOutput(JsonNode result, SchemaRegistryServer registryServer) {
        JsonNode sent = result.get("sent");
        assertEquals(REQUEST_COUNT, sent.size());
        Map<String, JsonNode> sentById = new HashMap<>();
        long sentTotal = 0;
        for (JsonNode request : sent) {
            sentById.put(request.get("requestId").asText(), request);
            sentTotal += request.get("reportedPromptTokens").asLong();
            sentTotal += request.get("reportedCompletionTokens").asLong();
        }
        assertTrue(sentTotal > MONTHLY_LIMIT, "the requests must exceed the limit: " + sentTotal);

        JsonNode usage = result.get("usage");
        assertEquals(REQUEST_COUNT, usage.size(), "token-usage records: " + usage);
        Set<String> usageIds = new HashSet<>();
        for (JsonNode record : usage) {
            String requestId = record.get("requestId").asText();
            assertTrue(usageIds.add(requestId), "duplicate token-usage record " + requestId);
            JsonNode request = sentById.get(requestId);
            assertTrue(request != null, "token-usage record of a request never sent: " + record);
            assertEquals(request.get("reportedPromptTokens").asLong(), record.get("promptTokens").asLong());
            assertEquals(request.get("reportedCompletionTokens").asLong(), record.get("completionTokens").asLong());
            assertEquals(request.get("timestamp").asLong(), record.get("timestamp").asLong());
        }

        JsonNode alerts = result.get("alerts");
        assertFalse(alerts.isEmpty(), "no usage-alerts record decoded");
        Set<String> alertIds = new HashSet<>();
        boolean limitReached = false;
        for (JsonNode alert : alerts) {
            assertTrue(alertIds.add(alert.get("alertId").asText()), "duplicate alert " + alert);
            assertEquals(MONTHLY_LIMIT, alert.get("limit").asLong());
            int threshold = alert.get("thresholdPercent").asInt();
            long total = alert.get("totalTokens").asLong();
            assertTrue(total * 100 >= MONTHLY_LIMIT * threshold, "alert below its threshold: " + alert);
            assertTrue(total <= sentTotal, "alert total above the sent total: " + alert);
            assertTrue(sentById.containsKey(alert.get("requestId").asText()), "alert of an unknown request " + alert);
            limitReached |= threshold >= 100;
        }
        assertTrue(limitReached, "no alert for reaching the limit: " + alerts);

        int usageSchemaId = registryServer.registry()
            .latestVersion(AvroSerde.valueSubject(Topics.TOKEN_USAGE.name())).id();
        int alertSchemaId = registryServer.registry()
            .latestVersion(AvroSerde.valueSubject(Topics.USAGE_ALERTS.name())).id();
        for (JsonNode id : result.get("schemaIds").get(Topics.TOKEN_USAGE.name())) {
            assertEquals(usageSchemaId, id.intValue());
        }
        for (JsonNode id : result.get("schemaIds").get(Topics.USAGE_ALERTS.name())) {
            assertEquals(alertSchemaId, id.intValue());
        }
        assertEquals(TokenUsage.getClassSchema().getFields().size(), usage.get(0).size());
        assertEquals(UsageAlert.getClassSchema().getFields().size(), alerts.get(0).size());
    }

    private void checkApiTotals(int httpPort, JsonNode sent) throws Exception {
        long prompt = 0;
        long completion = 0;
        for (JsonNode request : sent) {
            prompt += request.get("reportedPromptTokens").asLong();
            completion += request.get("reportedCompletionTokens").asLong();
        }
        YearMonth month = YearMonth.from(
            Instant.ofEpochMilli(sent.get(0).get("timestamp").asLong()).atOffset(ZoneOffset.UTC));
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/api/v1/users/" + USER + "/usage?period=" + month);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_TOKEN).build();

        Instant deadline = Instant.now().plus(API_WAIT);
        JsonNode usage;
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), uri + ": " + response.body());
            usage = JSON.readTree(response.body());
            if (usage.get("requests").asLong() >= REQUEST_COUNT || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(REQUEST_COUNT, usage.get("requests").asLong(), usage.toString());
        assertEquals(prompt, usage.get("promptTokens").asLong());
        assertEquals(completion, usage.get("completionTokens").asLong());
        assertEquals(prompt + completion, usage.get("totalTokens").asLong());
    }

    private JsonNode runScript(String bootstrapServers, String registryUrl) throws IOException, InterruptedException {
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        Process process = new ProcessBuilder("node", "kafka-interop.js", bootstrapServers, registryUrl, USER,
            Integer.toString(REQUEST_COUNT), Long.toString(SCRIPT_WAIT.toMillis()))
            .directory(NODE_DIR.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        try {
            if (!process.waitFor(PROCESS_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("node kafka-interop.js did not finish within " + PROCESS_WAIT + ". Errors: "
                    + Files.readString(stderr, StandardCharsets.UTF_8));
            }
        } finally {
            process.destroyForcibly();
        }
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "node kafka-interop.js failed: " + errors);
        String output = Files.readString(stdout, StandardCharsets.UTF_8);
        assertFalse(output.isBlank(), "node kafka-interop.js printed nothing. Errors: " + errors);
        if (!errors.isBlank()) {
            log.info("node kafka-interop.js wrote to stderr: {}", errors);
        }
        return JSON.readTree(output);
    }

    private static void assumeNodeClientInstalled() throws InterruptedException {
        boolean nodeRuns;
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            nodeRuns = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            process.destroyForcibly();
        } catch (IOException e) {
            nodeRuns = false;
        }
        if (!nodeRuns) {
            skip("node is not on the PATH. Install Node.js 20 or later to run this check");
        }
        for (String module : new String[] {"kafkajs", "@kafkajs/confluent-schema-registry"}) {
            if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(module))) {
                skip("the Node package " + module + " is missing from " + NODE_DIR.resolve("node_modules")
                    + ". Run dev-stack/src/test/node/install.sh");
            }
        }
    }

    /** Fails under CI=true, where .ci/run installs the Node packages first, and skips otherwise. */
    private static void skip(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true, so the check fails instead of skipping)");
        }
        log.warn("Skipping KafkaJsInteropTest: {}", reason);
        assumeTrue(false, reason);
    }
}
