package io.tokenmonitor.stack.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code src/test/node/interop.js}, which uses the npm package @kafkajs/confluent-schema-registry
 * 3.9.0, against the embedded server. The Node client registers and looks up a schema, encodes a value
 * for the Java serde to decode, and decodes a value that the Java serde encoded.
 *
 * <p>Skipped, with the reason logged, when {@code node} is not on the PATH or the Node packages are not
 * installed. Install them with {@code dev-stack/src/test/node/install.sh}.
 */
@Timeout(120)
class NodeClientInteropTest {

    private static final Logger log = LoggerFactory.getLogger(NodeClientInteropTest.class);

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final long NODE_TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void shouldInteroperateWithKafkaJsRegistryClient() throws Exception {
        assumeNodeClientInstalled();
        TokenUsage usage = TokenUsage.newBuilder()
            .setRequestId("req-node-1")
            .setUserId("user-42")
            .setTimestamp(Instant.ofEpochMilli(1_714_000_000_123L))
            .setModel("mistralai/Mixtral-8x7B-Instruct-v0.1")
            .setProvider("groq")
            .setApp(null)
            .setPromptTokens(120L)
            .setCompletionTokens(48L)
            .setTotalTokens(168L)
            .setTokenSource(TokenSource.ESTIMATED)
            .setPeriod("2024-04-01")
            .setEstimator("calibrated-mistral")
            .setCostMicros(null)
            .build();

        try (SchemaRegistryServer server = new SchemaRegistryServer(0).start()) {
            AvroSerde<TokenUsage> serde = new AvroSerde<>(new RestSchemaRegistryClient(server.url()), TokenUsage.class);
            byte[] javaValue = serde.serialize(Topics.TOKEN_USAGE.name(), usage);
            int javaId = server.registry().latestVersion("token-usage-value").id();
            Files.writeString(workDir.resolve("schema.avsc"), TokenUsage.getClassSchema().toString());
            Files.writeString(workDir.resolve("payload.json"), payloadOf(usage).toString());
            Files.write(workDir.resolve("java-value.bin"), javaValue);

            JsonNode result = runInterop(server.url());

            assertEquals(javaId, result.get("registeredId").intValue());
            assertEquals(javaId, result.get("reRegisteredId").intValue());
            assertEquals(javaId, result.get("latestId").intValue());
            assertEquals(javaId, result.get("lookupId").intValue());
            assertEquals(Optional.of(CompatibilityLevel.BACKWARD),
                server.registry().subjectCompatibility("node-token-usage-value"));
            // Compared after a text round trip, so that Jackson's int and long nodes of equal numbers match.
            assertEquals(JSON.readTree(payloadOf(usage).toString()), result.get("decoded"));

            byte[] nodeValue = Files.readAllBytes(workDir.resolve("node-value.bin"));
            assertEquals(usage, serde.deserialize(Topics.TOKEN_USAGE.name(), nodeValue));
            assertArrayEquals(javaValue, nodeValue);
        }
    }

    /** Returns the value as avsc reads and writes it: longs as numbers, the enum as its symbol. */
    private static ObjectNode payloadOf(TokenUsage usage) {
        ObjectNode payload = JSON.createObjectNode()
            .put("requestId", usage.getRequestId())
            .put("userId", usage.getUserId())
            .put("timestamp", usage.getTimestamp().toEpochMilli())
            .put("model", usage.getModel())
            .put("provider", usage.getProvider());
        payload.putNull("app");
        payload.putNull("clientVersion");
        return payload
            .put("promptTokens", usage.getPromptTokens())
            .put("completionTokens", usage.getCompletionTokens())
            .put("totalTokens", usage.getTotalTokens())
            .put("tokenSource", usage.getTokenSource().name())
            .put("period", usage.getPeriod())
            .put("estimator", usage.getEstimator())
            .putNull("costMicros");
    }

    private JsonNode runInterop(String registryUrl) throws IOException, InterruptedException {
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        Process process = new ProcessBuilder("node", "interop.js", registryUrl, workDir.toString())
            .directory(NODE_DIR.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        try {
            if (!process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("node interop.js did not finish within " + NODE_TIMEOUT_SECONDS + " s. Output: "
                    + Files.readString(stderr, StandardCharsets.UTF_8));
            }
        } finally {
            process.destroyForcibly();
        }
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "node interop.js failed: " + errors);
        String output = Files.readString(stdout, StandardCharsets.UTF_8);
        assertFalse(output.isBlank(), "node interop.js printed nothing. Errors: " + errors);
        return JSON.readTree(output);
    }

    private static void assumeNodeClientInstalled() {
        String nodeVersion = nodeVersion();
        if (nodeVersion == null) {
            skip("node is not on the PATH. Install Node.js 20 or later to run this check");
        }
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@kafkajs/confluent-schema-registry"))) {
            skip("the Node packages are missing from " + NODE_DIR.resolve("node_modules")
                + ". Run dev-stack/src/test/node/install.sh");
        }
        log.debug("Running the Node interop check with node {}", nodeVersion);
    }

    /** Fails under CI=true, where .ci/run installs node's packages first, and skips otherwise. */
    private static void skip(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true, so the check fails instead of skipping)");
        }
        log.warn("Skipping NodeClientInteropTest: {}", reason);
        assumeTrue(false, reason);
    }

    /** Returns the output of {@code node --version}, or null when node cannot be run. */
    private static String nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? version : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
