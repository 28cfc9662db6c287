package io.tokenmonitor.processor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the OpenAPI file that the server serves against the routes the server registers, so that an
 * endpoint added without documentation fails the build.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private ApiServer server;
    private String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

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
            () -> KafkaStreams.State.RUNNING,
            Clock.fixed(Instant.parse("2026-03-20T08:00:00Z"), ZoneOffset.UTC)));
        baseUrl = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void shouldServeOpenApiAsYaml() throws Exception {
        HttpResponse<String> response = get(StaticResources.OPENAPI_PATH);

        assertEquals(200, response.statusCode());
        assertEquals("application/yaml", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode document = YAML.readTree(response.body());
        assertTrue(document.get("openapi").asText().startsWith("3.0."), "openapi version: " + document.get("openapi"));
        assertEquals("http", document.at("/components/securitySchemes/bearerToken/type").asText());
        assertEquals("bearer", document.at("/components/securitySchemes/bearerToken/scheme").asText());
        assertFalse(document.at("/security").isMissingNode(), "the API should require the bearer scheme by default");
    }

    @Test
    void shouldDocumentEveryRoute() throws Exception {
        JsonNode paths = YAML.readTree(get(StaticResources.OPENAPI_PATH).body()).get("paths");
        List<String> routes = server.routes();

        assertTrue(routes.contains("GET /api/v1/users/{userId}/usage"), "routes seen: " + routes);
        List<String> undocumented = new ArrayList<>();
        for (String route : routes) {
            String[] methodAndPath = route.split(" ", 2);
            JsonNode operation = paths.path(methodAndPath[1]).path(methodAndPath[0].toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                undocumented.add(route);
            }
        }
        assertEquals(List.of(), undocumented, "routes missing from openapi.yaml");
    }

    @Test
    void shouldDefineEveryReference() throws Exception {
        JsonNode document = YAML.readTree(get(StaticResources.OPENAPI_PATH).body());
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertFalse(references.isEmpty());
        for (String reference : references) {
            assertTrue(reference.startsWith("#/"), "only local references are expected: " + reference);
            assertFalse(document.at(reference.substring(1)).isMissingNode(), "undefined reference " + reference);
        }
    }

    @Test
    void shouldDocumentUnauthorizedOnProtectedPaths() throws Exception {
        JsonNode paths = YAML.readTree(get(StaticResources.OPENAPI_PATH).body()).get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> pathIt = paths.fields(); pathIt.hasNext(); ) {
            Map.Entry<String, JsonNode> path = pathIt.next();
            for (Iterator<Map.Entry<String, JsonNode>> opIt = path.getValue().fields(); opIt.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = opIt.next();
                JsonNode security = operation.getValue().get("security");
                boolean open = security != null && security.isArray() && security.isEmpty();
                String name = operation.getKey() + " " + path.getKey();
                if (!open) {
                    assertTrue(operation.getValue().at("/responses/401").isObject(), name + " lacks 401");
                }
                assertTrue(operation.getValue().at("/responses/200").isObject(), name + " lacks 200");
            }
        }
    }

    @Test
    void shouldServeDashboardAndIndex() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> script = get("/dashboard/dashboard.js");
        HttpResponse<String> unknownAsset = get("/dashboard/secret.properties");
        HttpResponse<String> index = get("/api/v1");

        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("dashboard.js"), "the page should load its script");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(404, unknownAsset.statusCode());
        assertEquals(200, index.statusCode());
        assertEquals(StaticResources.OPENAPI_PATH, JSON.readTree(index.body()).at("/endpoints/openapi").asText());
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            JsonNode reference = node.get("$ref");
            if (reference != null) {
                references.add(reference.asText());
            }
        }
        for (JsonNode child : node) {
            collectReferences(child, references);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
