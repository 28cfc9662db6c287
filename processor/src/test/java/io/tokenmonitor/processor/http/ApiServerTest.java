package io.tokenmonitor.processor.http;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private ApiServer server;
    private String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(LIMIT, stateDir);
        startServer(fixture.stores());
    }

    private void startServer(UsageStores stores) {
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        DefaultPlan defaultPlan = DefaultPlan.HF_PRO.withMonthlyTokenLimit(LIMIT);
        server = new ApiServer(new ApiServices(
            localStores -> new UsageQueries(localStores, usageSerde, defaultPlan),
            stores,
            QueryRouter.singleInstance(stores),
            AccessControl.OPEN,
            fixture.rejections,
            () -> KafkaStreams.State.RUNNING,
            Clock.fixed(NOW, ZoneOffset.UTC)));
        int port = server.start("127.0.0.1", 0);
        baseUrl = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void usageOfCurrentMonth() throws Exception {
        fixture.send(reported("user-1", NOW.minusSeconds(60), 300, 100));
        fixture.send(request().setUserId("user-1").setTimestamp(NOW).setModel("gpt-4o")
            .setReportedPromptTokens(50L).setReportedCompletionTokens(50L).build());

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("user-1", body.get("userId").asText());
        assertEquals("2026-03-01", body.get("period").asText());
        assertEquals("2026-03-01T00:00:00Z", body.get("periodStart").asText());
        assertEquals("2026-04-01T00:00:00Z", body.get("periodEnd").asText());
        assertEquals(2, body.get("requests").asLong());
        assertEquals(350, body.get("promptTokens").asLong());
        assertEquals(150, body.get("completionTokens").asLong());
        assertEquals(500, body.get("totalTokens").asLong());
        assertEquals(LIMIT, body.get("limit").asLong());
        assertEquals(50.0, body.get("percentUsed").asDouble());
        assertEquals(500, body.get("remainingTokens").asLong());
        assertEquals(100, body.at("/byModel/gpt-4o/totalTokens").asLong());
        assertEquals(1, body.at("/byModel/gpt-4o/requests").asLong());
        // gpt-4o at $2.50 and $10 per million: 50 * 2.5 + 50 * 10 = 625 micro-dollars; the Llama model has no price.
        assertEquals("0.000625", body.at("/byModel/gpt-4o/costDollars").asText());
        assertTrue(body.at("/byModel/meta-llama~1Meta-Llama-3-70B-Instruct/costDollars").isNull());
        assertEquals(1, body.get("unpricedRequests").asLong());
        assertEquals("0.000625", body.get("costDollars").asText());
    }

    @Test
    void usageOfNamedPeriod() throws Exception {
        fixture.send(reported("user-1", Instant.parse("2026-02-10T00:00:00Z"), 10, 0));

        JsonNode february = JSON.readTree(get("/api/v1/users/user-1/usage?period=2026-02").body());
        JsonNode march = JSON.readTree(get("/api/v1/users/user-1/usage?period=2026-03").body());
        assertEquals(10, february.get("totalTokens").asLong());
        assertEquals(0, march.get("totalTokens").asLong());
    }

    @Test
    void unknownUserGetsZeros() throws Exception {
        HttpResponse<String> response = get("/api/v1/users/nobody/usage");
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("nobody", body.get("userId").asText());
        assertEquals(0, body.get("requests").asLong());
        assertEquals(0, body.get("totalTokens").asLong());
        assertEquals(LIMIT, body.get("remainingTokens").asLong());
        assertEquals(0.0, body.get("percentUsed").asDouble());
        assertTrue(body.get("byModel").isEmpty());
    }

    @Test
    void malformedPeriodIsBadRequest() throws Exception {
        for (String period : new String[] {"2026-13", "2026-3", "march", "2026-03-01%27", "2026-03-02", "2026-02-30"}) {
            HttpResponse<String> response = get("/api/v1/users/user-1/usage?period=" + period);
            assertEquals(400, response.statusCode(), period);
            JsonNode body = JSON.readTree(response.body());
            assertEquals("period", body.get("parameter").asText(), period);
            assertTrue(body.get("error").asText().contains("period"), body.toString());
        }
    }

    @Test
    void requestsNewestFirstWithLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            fixture.send(request().setRequestId("r" + i).setTimestamp(NOW.plusSeconds(i))
                .setModel("acme/unknown-model").setPromptText("abcdabcd").setProvider("groq").build());
        }

        JsonNode body = JSON.readTree(get("/api/v1/users/user-1/requests?limit=3").body());
        assertEquals("user-1", body.get("userId").asText());
        JsonNode requests = body.get("requests");
        assertEquals(3, requests.size());
        assertEquals("r4", requests.get(0).get("requestId").asText());
        assertEquals("r3", requests.get(1).get("requestId").asText());
        assertEquals("r2", requests.get(2).get("requestId").asText());
        JsonNode newest = requests.get(0);
        assertEquals(NOW.plusSeconds(4).toString(), newest.get("timestamp").asText());
        assertEquals("groq", newest.get("provider").asText());
        assertEquals(2, newest.get("promptTokens").asLong());
        assertEquals(0, newest.get("completionTokens").asLong());
        assertEquals(2, newest.get("totalTokens").asLong());
        assertEquals("acme/unknown-model", newest.get("model").asText());
        assertEquals("HEURISTIC", newest.get("tokenSource").asText());
        assertTrue(newest.get("costDollars").isNull());
    }

    @Test
    void invalidRequestLimitIsBadRequest() throws Exception {
        for (String limit : new String[] {"0", "101", "-1", "ten"}) {
            HttpResponse<String> response = get("/api/v1/users/user-1/requests?limit=" + limit);
            assertEquals(400, response.statusCode(), limit);
            assertEquals("limit", JSON.readTree(response.body()).get("parameter").asText());
        }
    }

    @Test
    void unavailableStoreAnswersServiceUnavailable() throws Exception {
        server.close();
        startServer(new UsageStores() {
            @Override
            public ReadOnlyKeyValueStore<String, UsagePeriod> periods() {
                throw new InvalidStateStoreException("rebalancing");
            }

            @Override
            public ReadOnlyKeyValueStore<String, byte[]> recentRequests() {
                throw new InvalidStateStoreException("rebalancing");
            }

            @Override
            public ReadOnlyKeyValueStore<String, PlanState> plans() {
                throw new InvalidStateStoreException("rebalancing");
            }

            @Override
            public ReadOnlyKeyValueStore<String, UsageAlert> alerts() {
                throw new InvalidStateStoreException("rebalancing");
            }
        });

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void unknownPathIsJsonNotFound() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing");
        assertEquals(404, response.statusCode());
        assertEquals(404, JSON.readTree(response.body()).get("status").asInt());
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("RUNNING", JSON.readTree(response.body()).get("streamsState").asText());
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
