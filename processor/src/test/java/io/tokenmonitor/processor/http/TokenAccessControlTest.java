package io.tokenmonitor.processor.http;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.config.ApiTokens;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API behind {@link TokenAccessControl}: who gets 200, 401 and 403 on which endpoint. */
class TokenAccessControlTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String ALICE_TOKEN = "alice-token-0123456789abcdef";
    private static final String BOB_TOKEN = "bob-token-0123456789abcdef";
    private static final List<String> USER_ENDPOINTS = List.of("usage", "usage/daily", "requests", "alerts",
        "quota?tokens=10", "export?format=csv", "plan");
    private static final List<String> ADMIN_ENDPOINTS = List.of("/api/v1/stats", "/api/v1/usage/top",
        "/api/v1/users");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private ApiServer server;
    private String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(LIMIT, stateDir);
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        DefaultPlan defaultPlan = DefaultPlan.HF_PRO.withMonthlyTokenLimit(LIMIT);
        ApiTokens tokens = ApiTokens.of(ADMIN_TOKEN, Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN));
        server = new ApiServer(new ApiServices(
            localStores -> new UsageQueries(localStores, usageSerde, defaultPlan),
            fixture.stores(),
            QueryRouter.singleInstance(fixture.stores()),
            new TokenAccessControl(tokens),
            fixture.rejections,
            () -> KafkaStreams.State.RUNNING,
            Clock.fixed(NOW, ZoneOffset.UTC)));
        baseUrl = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        fixture.send(reported("alice", NOW.minusSeconds(60), 300, 100));
        fixture.send(reported("bob", NOW.minusSeconds(30), 20, 5));
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void missingTokenIsUnauthorized() throws Exception {
        List<String> paths = new ArrayList<>(ADMIN_ENDPOINTS);
        paths.add("/api/v1/whoami");
        USER_ENDPOINTS.forEach(endpoint -> paths.add("/api/v1/users/alice/" + endpoint));
        for (String path : paths) {
            HttpResponse<String> response = get(path, null);
            assertEquals(401, response.statusCode(), path);
            assertEquals("Bearer realm=\"token-monitor\"",
                response.headers().firstValue("WWW-Authenticate").orElse(null), path);
            JsonNode body = JSON.readTree(response.body());
            assertEquals(401, body.get("status").asInt(), path);
            assertTrue(body.get("error").asText().contains("Authorization: Bearer"), body.toString());
        }
    }

    @Test
    void unknownTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = get("/api/v1/users/alice/usage", "Bearer " + ALICE_TOKEN + "x");
        assertEquals(401, response.statusCode());
        String authenticate = response.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(authenticate.startsWith("Bearer "), authenticate);
        assertTrue(authenticate.contains("error=\"invalid_token\""), authenticate);
        assertFalse(response.body().contains(ALICE_TOKEN), response.body());
    }

    @Test
    void malformedAuthorizationHeadersAreUnauthorized() throws Exception {
        List<String> headers = List.of(
            "Basic YWxpY2U6c2VjcmV0",
            "Bearer",
            "Bearer" + ALICE_TOKEN,
            "Token " + ALICE_TOKEN,
            "Bearer " + ALICE_TOKEN + " " + ALICE_TOKEN,
            "Bearer \"" + ALICE_TOKEN + "\"",
            "Bearer " + ALICE_TOKEN.substring(0, 10),
            "Bearer " + "a".repeat(ApiTokens.MAX_TOKEN_LENGTH + 1));
        for (String header : headers) {
            HttpResponse<String> response = get("/api/v1/users/alice/usage", header);
            assertEquals(401, response.statusCode(), header);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), header);
            assertEquals(401, JSON.readTree(response.body()).get("status").asInt(), header);
        }
    }

    @Test
    void bearerSchemeIsCaseInsensitive() throws Exception {
        assertEquals(200, get("/api/v1/users/alice/usage", "bearer " + ALICE_TOKEN).statusCode());
        assertEquals(200, get("/api/v1/users/alice/usage", "BEARER  " + ALICE_TOKEN).statusCode());
    }

    @Test
    void userTokenReadsOwnData() throws Exception {
        HttpResponse<String> response = get("/api/v1/users/alice/usage", "Bearer " + ALICE_TOKEN);
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("alice", body.get("userId").asText());
        assertEquals(400, body.get("totalTokens").asLong());
        for (String endpoint : USER_ENDPOINTS) {
            String path = "/api/v1/users/alice/" + endpoint;
            assertEquals(200, get(path, "Bearer " + ALICE_TOKEN).statusCode(), path);
        }
    }

    @Test
    void userTokenOnAnotherUserIsForbidden() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/api/v1/users/Alice/usage", "/api/v1/users/nobody/usage"));
        USER_ENDPOINTS.forEach(endpoint -> paths.add("/api/v1/users/bob/" + endpoint));
        for (String path : paths) {
            HttpResponse<String> response = get(path, "Bearer " + ALICE_TOKEN);
            assertEquals(403, response.statusCode(), path);
            assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty(), path);
            JsonNode body = JSON.readTree(response.body());
            assertEquals(403, body.get("status").asInt(), path);
            assertFalse(response.body().contains("totalTokens"), path);
        }
    }

    @Test
    void userTokenOnAdminEndpointIsForbidden() throws Exception {
        for (String path : ADMIN_ENDPOINTS) {
            HttpResponse<String> response = get(path, "Bearer " + BOB_TOKEN);
            assertEquals(403, response.statusCode(), path);
            assertEquals("This endpoint requires the admin token",
                JSON.readTree(response.body()).get("error").asText(), path);
        }
    }

    @Test
    void adminTokenReadsEveryUserAndAdminEndpoints() throws Exception {
        HttpResponse<String> alice = get("/api/v1/users/alice/usage", "Bearer " + ADMIN_TOKEN);
        assertEquals(200, alice.statusCode());
        assertEquals(400, JSON.readTree(alice.body()).get("totalTokens").asLong());
        HttpResponse<String> bob = get("/api/v1/users/bob/usage", "Bearer " + ADMIN_TOKEN);
        assertEquals(200, bob.statusCode());
        assertEquals(25, JSON.readTree(bob.body()).get("totalTokens").asLong());
        for (String endpoint : USER_ENDPOINTS) {
            String path = "/api/v1/users/bob/" + endpoint;
            assertEquals(200, get(path, "Bearer " + ADMIN_TOKEN).statusCode(), path);
        }
        for (String path : ADMIN_ENDPOINTS) {
            assertEquals(200, get(path, "Bearer " + ADMIN_TOKEN).statusCode(), path);
        }
    }

    @Test
    void whoamiNamesTheCaller() throws Exception {
        JsonNode admin = JSON.readTree(get("/api/v1/whoami", "Bearer " + ADMIN_TOKEN).body());
        assertEquals("admin", admin.get("role").asText());
        assertTrue(admin.get("userId").isNull(), admin.toString());

        JsonNode bob = JSON.readTree(get("/api/v1/whoami", "Bearer " + BOB_TOKEN).body());
        assertEquals("user", bob.get("role").asText());
        assertEquals("bob", bob.get("userId").asText());
    }

    @Test
    void unknownApiPathNeedsTokenBeforeNotFound() throws Exception {
        assertEquals(401, get("/api/v1/nothing", null).statusCode());
        assertEquals(404, get("/api/v1/nothing", "Bearer " + ADMIN_TOKEN).statusCode());
    }

    @Test
    void openPathsNeedNoToken() throws Exception {
        assertEquals(200, get("/", null).statusCode());
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(200, get("/metrics", null).statusCode());
        // The OpenAPI document is public; whether it is served is not this class's concern.
        assertNotEquals(401, get(StaticResources.OPENAPI_PATH, null).statusCode());
    }

    @Test
    void headChecksTokenLikeGet() throws Exception {
        HttpResponse<String> missing = send("HEAD", "/api/v1/users/alice/usage", null);
        HttpResponse<String> otherUser = send("HEAD", "/api/v1/users/bob/usage", "Bearer " + ALICE_TOKEN);
        HttpResponse<String> ownData = send("HEAD", "/api/v1/users/alice/usage", "Bearer " + ALICE_TOKEN);

        assertEquals(401, missing.statusCode());
        assertEquals("Bearer realm=\"token-monitor\"", missing.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(403, otherUser.statusCode());
        assertEquals(200, ownData.statusCode());
        assertEquals("", ownData.body());
    }

    @Test
    void wrongMethodNeedsTokenBeforeMethodNotAllowed() throws Exception {
        assertEquals(401, send("POST", "/api/v1/users/alice/usage", null).statusCode());
        assertEquals(405, send("POST", "/api/v1/users/alice/usage", "Bearer " + ALICE_TOKEN).statusCode());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return send("GET", path, authorization);
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
