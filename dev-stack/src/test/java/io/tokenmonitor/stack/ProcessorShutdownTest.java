package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code token-monitor processor} in a child JVM against an in-process broker and registry: SIGTERM stops it in
 * order with exit code 0, and a restart on the same state directory resumes where it stopped, with the same
 * totals and no input processed twice.
 */
@Timeout(300)
class ProcessorShutdownTest {

    private static final String APPLICATION_ID = "shutdown-test";
    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final int USERS = 10;
    private static final int REQUESTS_BEFORE = 200;
    private static final int REQUESTS_AFTER = 50;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HTTP_API = Pattern.compile("HTTP API on (http://[^/\\s]+)/");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The INFO lines of an orderly stop, in the order they must appear. */
    private static final List<String> SHUTDOWN_STEPS = List.of(
        "Received SIGTERM; shutting down",
        "Shutdown: closing processor",
        "Stopping processor " + APPLICATION_ID + ": HTTP API first",
        "HTTP API stopped",
        "Closing Kafka Streams: committing, flushing the stores and leaving group " + APPLICATION_ID,
        "Kafka Streams closed",
        "Processor " + APPLICATION_ID + " stopped",
        "Shutdown complete");

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldStopOnSigtermAndResumeWithoutDuplicates() throws Exception {
        Path stateDir = Files.createDirectories(workDir.resolve("state"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start()) {
            TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
            try (SchemaRegistryServer registry = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0,
                broker.bootstrapServers(), (short) 1, Duration.ofSeconds(30)).start()) {
                List<String> arguments = List.of("processor", "--bootstrap-servers", broker.bootstrapServers(),
                    "--schema-registry-url", registry.url(), "--http-port", "0", "--state-dir", stateDir.toString(),
                    "--application-id", APPLICATION_ID);
                RestSchemaRegistryClient registryClient = new RestSchemaRegistryClient(registry.url());
                Map<String, Long> expected = new HashMap<>();

                ChildProcessor first = ChildProcessor.start(workDir.resolve("first"), arguments);
                try {
                    send(broker.bootstrapServers(), registryClient, 0, REQUESTS_BEFORE, expected);
                    awaitTotals(first.httpUrl(), expected);

                    first.process.destroy();
                    assertTrue(first.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                        "the processor should stop within " + STOP_TIMEOUT + " of SIGTERM");
                    assertEquals(0, first.process.exitValue(), first.errorTail());
                    assertStepsInOrder(first.errors());
                } finally {
                    first.close();
                }

                ChildProcessor second = ChildProcessor.start(workDir.resolve("second"), arguments);
                try {
                    awaitReady(second.httpUrl());
                    assertTotals(second.httpUrl(), expected);

                    send(broker.bootstrapServers(), registryClient, REQUESTS_BEFORE, REQUESTS_AFTER, expected);
                    awaitTotals(second.httpUrl(), expected);
                    JsonNode stats = getJson(second.httpUrl(), "/api/v1/stats");
                    assertEquals(0, stats.get("duplicatesSinceStart").asLong(),
                        "the restarted processor should not see earlier input again: " + stats);
                } finally {
                    second.close();
                }
                assertUsageRecordedOnce(broker.bootstrapServers(), registryClient);
            }
        }
    }

    /** Sends {@code count} requests with ids from {@code first}, over the users, and adds them to the totals. */
    private static void send(String bootstrapServers, RestSchemaRegistryClient registry, int first, int count,
                             Map<String, Long> expected) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Instant timestamp = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
            new ByteArraySerializer())) {
            AvroSerde<TokenRequest> serde = new AvroSerde<>(registry, TokenRequest.class);
            for (int i = first; i < first + count; i++) {
                String userId = "user-" + (i % USERS);
                long prompt = 10 + i;
                long completion = 100 + 3L * i;
                TokenRequest request = TokenRequest.newBuilder()
                    .setRequestId("shutdown-" + i)
                    .setUserId(userId)
                    .setTimestamp(timestamp.plusMillis(i))
                    .setModel("gpt-4o")
                    .setReportedPromptTokens(prompt)
                    .setReportedCompletionTokens(completion)
                    .build();
                byte[] value = serde.serialize(Topics.TOKEN_REQUESTS.name(), request);
                producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), null,
                    timestamp.plusMillis(i).toEpochMilli(), userId, value));
                expected.merge(userId, prompt + completion, Long::sum);
            }
            producer.flush();
        }
    }

    private void awaitTotals(String httpUrl, Map<String, Long> expected) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!totals(httpUrl).equals(expected)) {
            if (Instant.now().isAfter(deadline)) {
                assertEquals(expected, totals(httpUrl), "totals after " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    private void assertTotals(String httpUrl, Map<String, Long> expected) throws Exception {
        assertEquals(expected, totals(httpUrl));
    }

    /** Returns the total tokens of each user that has any, as the HTTP API reports them. */
    private Map<String, Long> totals(String httpUrl) throws IOException, InterruptedException {
        Map<String, Long> totals = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            String userId = "user-" + i;
            HttpResponse<String> response = get(httpUrl, "/api/v1/users/" + userId + "/usage");
            if (response.statusCode() != 200) {
                return Map.of("status " + response.statusCode(), 0L);
            }
            long total = JSON.readTree(response.body()).get("totalTokens").asLong();
            if (total > 0) {
                totals.put(userId, total);
            }
        }
        return totals;
    }

    private void awaitReady(String httpUrl) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        HttpResponse<String> response = get(httpUrl, "/ready");
        while (response.statusCode() != 200) {
            assertTrue(Instant.now().isBefore(deadline), "not ready after " + WAIT + ": " + response.body());
            Thread.sleep(200);
            response = get(httpUrl, "/ready");
        }
        JsonNode body = JSON.readTree(response.body());
        assertEquals("READY", body.get("status").asText());
        assertEquals(0, body.get("restoringPartitions").asInt());
        assertTrue(body.get("inputLag").asLong() <= body.get("maxInputLag").asLong(), body.toString());
    }

    private static void assertStepsInOrder(String log) {
        int from = 0;
        for (String step : SHUTDOWN_STEPS) {
            int at = log.indexOf(step, from);
            assertTrue(at >= 0, "missing, or out of order: '" + step + "' in\n" + tail(log));
            from = at + step.length();
        }
    }

    /** Checks that token-usage, read with read_committed, contains each request once. */
    private static void assertUsageRecordedOnce(String bootstrapServers, RestSchemaRegistryClient registry) {
        List<ConsumerRecord<String, TokenUsage>> usage;
        try (TopicReader<TokenUsage> reader = new TopicReader<>(bootstrapServers, Topics.TOKEN_USAGE.name(),
            new AvroSerde<>(registry, TokenUsage.class).deserializer())) {
            usage = reader.readToEnd(WAIT);
        }
        Set<String> requestIds = new HashSet<>();
        for (ConsumerRecord<String, TokenUsage> record : usage) {
            requestIds.add(record.value().getRequestId());
        }
        assertEquals(REQUESTS_BEFORE + REQUESTS_AFTER, usage.size());
        assertEquals(REQUESTS_BEFORE + REQUESTS_AFTER, requestIds.size());
    }

    private JsonNode getJson(String httpUrl, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(httpUrl, path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String httpUrl, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + path))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(Duration.ofSeconds(10))
            .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(String text) {
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    /** {@code token-monitor processor} in a child JVM with this test's classpath, its output in files. */
    private static final class ChildProcessor implements AutoCloseable {

        private final Process process;
        private final Path stdout;
        private final Path stderr;
        private String httpUrl;

        private ChildProcessor(Process process, Path stdout, Path stderr) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static ChildProcessor start(Path directory, List<String> arguments) throws IOException, InterruptedException {
            Files.createDirectories(directory);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), TokenMonitor.class.getName()));
            command.addAll(arguments);
            Path stdout = directory.resolve("stdout.txt");
            Path stderr = directory.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
            builder.environment().put(ApiTokens.ADMIN_TOKEN_ENV, ADMIN_TOKEN);
            ChildProcessor child = new ChildProcessor(builder.start(), stdout, stderr);
            try {
                child.awaitAddress();
            } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
                child.close();
                throw e;
            }
            return child;
        }

        private void awaitAddress() throws IOException, InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                Matcher http = HTTP_API.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
                if (http.find()) {
                    httpUrl = http.group(1);
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("The processor exited with code " + process.exitValue()
                        + " before it started:\n" + errorTail());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("The processor printed no address within " + WAIT + ":\n" + errorTail());
        }

        String httpUrl() {
            return httpUrl;
        }

        String errors() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        String errorTail() throws IOException {
            return tail(errors());
        }

        /** Stops the process with SIGTERM if it still runs, then with SIGKILL after the stop timeout. */
        @Override
        public void close() throws InterruptedException {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
