package io.tokenmonitor.processor.metrics;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.http.ApiServer;
import io.tokenmonitor.processor.http.StreamsQueryRouter;
import io.tokenmonitor.processor.http.ApiServices;
import io.tokenmonitor.processor.http.QueryRouter;
import io.tokenmonitor.processor.http.TokenAccessControl;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} after known input: the product's counters and the HTTP latency timer. */
class MetricsEndpointTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String USAGE_TEMPLATE = "/api/v1/users/{userId}/usage";
    private static final String HTTP_COUNT = "token_monitor_http_requests_seconds_count";
    private static final String HTTP_SUM = "token_monitor_http_requests_seconds_sum";

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private ProcessorMetrics metrics;
    private ApiServer server;
    private String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(LIMIT, stateDir);
        metrics = new ProcessorMetrics(fixture.rejections, fixture.counters);
        UsageStores stores = fixture.stores();
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        DefaultPlan defaultPlan = DefaultPlan.HF_PRO.withMonthlyTokenLimit(LIMIT);
        // Stands in for the multi-instance router: requests about bob count as forwarded to another instance.
        QueryRouter router = (ctx, userId, local) -> {
            ctx.attribute(StreamsQueryRouter.FORWARDED_ATTRIBUTE, userId.equals("bob"));
            local.answer(stores);
        };
        server = new ApiServer(new ApiServices(
            localStores -> new UsageQueries(localStores, usageSerde, defaultPlan),
            stores,
            router,
            new TokenAccessControl(ApiTokens.of(ADMIN_TOKEN, Map.of())),
            fixture.rejections,
            () -> KafkaStreams.State.RUNNING,
            Clock.fixed(NOW, ZoneOffset.UTC)), metrics);
        baseUrl = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
        fixture.close();
    }

    @Test
    void processingCountersMatchInput() throws Exception {
        // Limit 1,000 with thresholds 50, 80, 90 and 100 percent: alice ends at 60% (one alert),
        // bob at 85% (two alerts).
        fixture.send(reported("alice", NOW.minusSeconds(90), 300, 100));
        fixture.send(reported("alice", NOW.minusSeconds(60), 200, 0));
        fixture.send(reported("bob", NOW.minusSeconds(30), 850, 0));
        fixture.sendRaw("alice", "not avro".getBytes(StandardCharsets.UTF_8), NOW);
        fixture.sendRaw("bob", new byte[] {0}, NOW);
        int alertsSent = fixture.alerts.readValuesToList().size();
        int deadLettersSent = fixture.deadLetters.readValuesToList().size();

        PrometheusSamples samples = scrape();

        assertEquals(3, alertsSent);
        assertEquals(2, deadLettersSent);
        assertEquals(3.0, samples.value("token_monitor_requests_metered_total", Map.of()));
        assertEquals(alertsSent, samples.value("token_monitor_alerts_raised_total", Map.of()));
        assertEquals(deadLettersSent, samples.value("token_monitor_records_dead_lettered_total",
            Map.of("reason", "undecodable")));
        assertEquals(0.0, samples.value("token_monitor_records_dead_lettered_total", Map.of("reason", "late")));
    }

    @Test
    void httpLatencyIsTaggedByRouteTemplate() throws Exception {
        fixture.send(reported("alice", NOW.minusSeconds(90), 300, 100));
        assertEquals(200, get("/api/v1/users/alice/usage", ADMIN_TOKEN).statusCode());
        assertEquals(200, get("/api/v1/users/alice/usage?period=2026-03", ADMIN_TOKEN).statusCode());
        assertEquals(200, get("/api/v1/users/bob/usage", ADMIN_TOKEN).statusCode());
        assertEquals(401, get("/api/v1/users/alice/usage", null).statusCode());
        assertEquals(404, get("/api/v1/users/alice/unknown", ADMIN_TOKEN).statusCode());

        String exposition = get("/metrics", null).body();
        PrometheusSamples samples = new PrometheusSamples(exposition);

        Map<String, String> local = Map.of("endpoint", USAGE_TEMPLATE, "forwarded", "false", "status", "200");
        assertEquals(2.0, samples.value(HTTP_COUNT, local));
        assertTrue(samples.value(HTTP_SUM, local) > 0.0);
        Map<String, String> forwarded = Map.of("endpoint", USAGE_TEMPLATE, "forwarded", "true", "status", "200");
        assertEquals(1.0, samples.value(HTTP_COUNT, forwarded));
        Map<String, String> rejected = Map.of("endpoint", ProcessorMetrics.UNMATCHED_ENDPOINT, "status", "401");
        assertEquals(1.0, samples.value(HTTP_COUNT, rejected));
        Map<String, String> notFound = Map.of("endpoint", ProcessorMetrics.UNMATCHED_ENDPOINT, "status", "404");
        assertEquals(1.0, samples.value(HTTP_COUNT, notFound));
        assertFalse(exposition.contains("alice"), "a raw path with a user id leaked into the metrics");
        assertFalse(exposition.contains(ADMIN_TOKEN));
    }

    @Test
    void metricsUseThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics", null);
        assertEquals(200, response.statusCode());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("text/plain; version=0.0.4"), contentType);
        assertTrue(response.body().contains("# TYPE token_monitor_requests_metered_total counter"), response.body());
    }

    private PrometheusSamples scrape() throws Exception {
        HttpResponse<String> response = get("/metrics", null);
        assertEquals(200, response.statusCode());
        return new PrometheusSamples(response.body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
