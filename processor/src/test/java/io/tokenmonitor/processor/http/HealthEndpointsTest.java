package io.tokenmonitor.processor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.lifecycle.HealthReport;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} and {@code /ready} over HTTP, with a Kafka Streams state and a readiness the test sets. */
class HealthEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.RUNNING);
    private final AtomicReference<HealthReport> readiness = new AtomicReference<>(
        new HealthReport(HealthReport.READY, "RUNNING", null, 0, 3L, 1_000L));
    private final HttpClient http = HttpClient.newHttpClient();
    private TopologyFixture fixture;
    private ApiServer server;
    private String baseUrl;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(1_000, stateDir);
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        server = new ApiServer(new ApiServices(
            stores -> new UsageQueries(stores, usageSerde, DefaultPlan.HF_PRO),
            fixture.stores(),
            QueryRouter.singleInstance(fixture.stores()),
            AccessControl.OPEN,
            fixture.rejections,
            state::get,
            Clock.fixed(Instant.parse("2026-03-20T08:00:00Z"), ZoneOffset.UTC),
            InstanceGatherer.singleInstance(),
            readiness::get));
        baseUrl = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void shouldReportHealthUpWhileRebalancing() throws Exception {
        state.set(KafkaStreams.State.REBALANCING);

        HttpResponse<String> response = get("/health");

        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals("REBALANCING", body.get("streamsState").asText());
        assertFalse(body.has("reason"));
    }

    @Test
    void shouldReportHealthDownInError() throws Exception {
        state.set(KafkaStreams.State.ERROR);

        HttpResponse<String> response = get("/health");

        assertEquals(503, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("DOWN", body.get("status").asText());
        assertEquals("ERROR", body.get("streamsState").asText());
        assertTrue(body.get("reason").asText().contains("ERROR"), body.toString());
    }

    @Test
    void shouldReportReadyWithLag() throws Exception {
        HttpResponse<String> response = get("/ready");

        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("READY", body.get("status").asText());
        assertEquals(3, body.get("inputLag").asLong());
        assertEquals(1_000, body.get("maxInputLag").asLong());
    }

    @Test
    void shouldReportNotReadyWithReason() throws Exception {
        readiness.set(new HealthReport(HealthReport.NOT_READY, "RUNNING", "2 changelog partitions are restoring",
            2, null, 1_000L));

        HttpResponse<String> response = get("/ready");

        assertEquals(503, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("NOT_READY", body.get("status").asText());
        assertEquals("2 changelog partitions are restoring", body.get("reason").asText());
        assertEquals(2, body.get("restoringPartitions").asInt());
        assertFalse(body.has("inputLag"));
    }

    @Test
    void shouldServeReadyWithoutToken() throws Exception {
        ApiServer guarded = new ApiServer(new ApiServices(
            stores -> { throw new AssertionError("no query expected"); },
            fixture.stores(),
            QueryRouter.singleInstance(fixture.stores()),
            new TokenAccessControl(ApiTokens.of(ApiTokens.generate(), Map.of())),
            fixture.rejections,
            state::get,
            Clock.systemUTC(),
            InstanceGatherer.singleInstance(),
            readiness::get));
        try {
            int port = guarded.start("127.0.0.1", 0);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        } finally {
            guarded.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
