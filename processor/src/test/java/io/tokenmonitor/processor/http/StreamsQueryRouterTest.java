package io.tokenmonitor.processor.http;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing decisions of {@link StreamsQueryRouter} with a fake view of the cluster: an API server under
 * test, its stores from a topology test driver, and a stub server in the role of the other instances.
 */
class StreamsQueryRouterTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final HostInfo SELF = new HostInfo("self.example", 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private FakeClusterView cluster;
    private ApiServer server;
    private String baseUrl;
    private Javalin otherInstance;
    private HostInfo otherHost;
    private final List<Map<String, String>> otherInstanceRequests = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(LIMIT, stateDir);
        fixture.send(reported("user-1", NOW.minusSeconds(60), 300, 100));
        cluster = new FakeClusterView(fixture.stores());

        otherInstance = Javalin.create(config -> config.showJavalinBanner = false);
        otherInstance.get("/api/v1/users/{userId}/usage", ctx -> {
            otherInstanceRequests.add(Map.of(
                "forwarded", String.valueOf(ctx.header(InstanceClient.FORWARDED_HEADER)),
                "authorization", String.valueOf(ctx.header("Authorization")),
                "query", String.valueOf(ctx.queryString())));
            ctx.header("Content-Disposition", "attachment; filename=\"other.json\"");
            ctx.status(203).contentType("application/json").result("{\"answeredBy\":\"other\"}");
        });
        otherInstance.get("/api/v1/users/{userId}/plan", ctx ->
            ctx.status(503).header("Retry-After", "7").contentType("application/json").result("{\"status\":503}"));
        otherInstance.get("/api/v1/usage/top", ctx -> {
            otherInstanceRequests.add(Map.of(
                "forwarded", String.valueOf(ctx.header(InstanceClient.FORWARDED_HEADER)),
                "authorization", String.valueOf(ctx.header("Authorization")),
                "query", String.valueOf(ctx.queryString())));
            ctx.json(Map.of("answeredBy", "other"));
        });
        otherInstance.start("127.0.0.1", 0);
        otherHost = new HostInfo("127.0.0.1", otherInstance.port());

        InstanceClient client = new InstanceClient(SELF, Duration.ofSeconds(5));
        InstanceGatherer gatherer = new InstanceGatherer(cluster, client);
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        DefaultPlan defaultPlan = DefaultPlan.HF_PRO.withMonthlyTokenLimit(LIMIT);
        server = new ApiServer(new ApiServices(
            stores -> new UsageQueries(stores, usageSerde, defaultPlan),
            fixture.stores(),
            new StreamsQueryRouter(cluster, client),
            AccessControl.OPEN,
            fixture.rejections,
            cluster::state,
            Clock.fixed(NOW, ZoneOffset.UTC),
            gatherer));
        baseUrl = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        otherInstance.stop();
        fixture.close();
    }

    @Test
    void shouldAnswerFromOwnedPartition() throws Exception {
        cluster.owner = new KeyQueryMetadata(SELF, Set.of(otherHost), 4);

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(400, JSON.readTree(response.body()).get("totalTokens").asLong());
        assertEquals(List.of("4 stale=false"), cluster.storeRequests);
        assertTrue(otherInstanceRequests.isEmpty());
    }

    @Test
    void shouldAnswer503WhenOwnedPartitionIsNotQueryable() throws Exception {
        cluster.owner = new KeyQueryMetadata(SELF, Set.of(), 2);
        cluster.storesQueryable = false;

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void shouldForwardToActiveHostAndCopyAnswer() throws Exception {
        cluster.owner = new KeyQueryMetadata(otherHost, Set.of(), 1);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/users/user%201/usage?period=2026-03"))
            .header("Authorization", "Bearer secret-token"));

        assertEquals(203, response.statusCode());
        assertEquals("{\"answeredBy\":\"other\"}", response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("attachment; filename=\"other.json\"",
            response.headers().firstValue("Content-Disposition").orElse(null));
        assertEquals(1, otherInstanceRequests.size());
        Map<String, String> received = otherInstanceRequests.get(0);
        assertEquals("self.example:1", received.get("forwarded"));
        assertEquals("Bearer secret-token", received.get("authorization"));
        assertEquals("period=2026-03", received.get("query"));
        assertTrue(cluster.storeRequests.isEmpty(), "a forwarded request reads no local store");
    }

    @Test
    void shouldCopyUnavailableAnswerOfOwner() throws Exception {
        cluster.owner = new KeyQueryMetadata(otherHost, Set.of(), 1);

        HttpResponse<String> response = get("/api/v1/users/user-1/plan");

        assertEquals(503, response.statusCode());
        assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals("{\"status\":503}", response.body());
    }

    @Test
    void shouldAnswer503WhenOwnerIsUnreachable() throws Exception {
        cluster.owner = new KeyQueryMetadata(new HostInfo("127.0.0.1", closedPort()), Set.of(), 1);

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(JSON.readTree(response.body()).get("error").asText().contains("cannot be reached"));
    }

    @Test
    void shouldNotForwardForwardedRequest() throws Exception {
        cluster.owner = new KeyQueryMetadata(otherHost, Set.of(), 1);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/users/user-1/usage"))
            .header(InstanceClient.FORWARDED_HEADER, "127.0.0.1:9"));

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(otherInstanceRequests.isEmpty(), "no second hop");
    }

    @Test
    void shouldAnswer503WhileOwnerIsUnknown() throws Exception {
        cluster.owner = KeyQueryMetadata.NOT_AVAILABLE;

        HttpResponse<String> response = get("/api/v1/users/user-1/usage");

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void shouldAnswer503WhileRebalancingUnlessStaleAllowed() throws Exception {
        cluster.state = KafkaStreams.State.REBALANCING;
        cluster.owner = new KeyQueryMetadata(otherHost, Set.of(SELF), 3);

        HttpResponse<String> fresh = get("/api/v1/users/user-1/usage");
        HttpResponse<String> stale = get("/api/v1/users/user-1/usage?allowStale=true");

        assertEquals(503, fresh.statusCode(), fresh.body());
        assertEquals("1", fresh.headers().firstValue("Retry-After").orElse(null));
        assertEquals(200, stale.statusCode(), stale.body());
        assertEquals(400, JSON.readTree(stale.body()).get("totalTokens").asLong());
        assertEquals(List.of("3 stale=true"), cluster.storeRequests, "a standby answers stale reads locally");
        assertTrue(otherInstanceRequests.isEmpty());
    }

    @Test
    void shouldAnswer503WhenStreamsHasStopped() throws Exception {
        cluster.state = KafkaStreams.State.PENDING_SHUTDOWN;
        cluster.owner = new KeyQueryMetadata(SELF, Set.of(), 0);

        HttpResponse<String> response = get("/api/v1/users/user-1/usage?allowStale=true");

        assertEquals(503, response.statusCode(), response.body());
        assertTrue(cluster.storeRequests.isEmpty());
    }

    @Test
    void shouldReadStandbyWhenActiveUnreachable() throws Exception {
        HostInfo unreachable = new HostInfo("127.0.0.1", closedPort());
        cluster.owner = new KeyQueryMetadata(unreachable, Set.of(otherHost), 5);

        HttpResponse<String> fresh = get("/api/v1/users/user-1/usage");
        HttpResponse<String> stale = get("/api/v1/users/user-1/usage?allowStale=true");

        assertEquals(503, fresh.statusCode(), fresh.body());
        assertEquals(203, stale.statusCode(), stale.body());
        assertEquals(1, otherInstanceRequests.size(), "only the stale read goes to the standby");
        assertEquals("allowStale=true", otherInstanceRequests.get(0).get("query"));
    }

    @Test
    void shouldRejectInvalidAllowStale() throws Exception {
        cluster.owner = new KeyQueryMetadata(SELF, Set.of(), 0);

        HttpResponse<String> response = get("/api/v1/users/user-1/usage?allowStale=yes");

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("allowStale", JSON.readTree(response.body()).get("parameter").asText());
    }

    @Test
    void gathererShouldAskOtherInstancesWithLocalScope() throws Exception {
        cluster.instances = List.of(SELF, otherHost);
        InstanceGatherer gatherer = new InstanceGatherer(cluster, new InstanceClient(SELF, Duration.ofSeconds(5)));
        List<JsonNode> answers = new ArrayList<>();
        try (GatherServer gatherServer = new GatherServer(gatherer, answers)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                    URI.create(gatherServer.url + "/api/v1/usage/top?limit=5&period=2026-03"))
                .header("Authorization", "Bearer admin-token"));

            assertEquals(200, response.statusCode(), response.body());
        }

        assertEquals(2, answers.size());
        assertEquals("self", answers.get(0).get("answeredBy").asText());
        assertEquals("other", answers.get(1).get("answeredBy").asText());
        Map<String, String> received = otherInstanceRequests.get(0);
        assertEquals("limit=5&period=2026-03&scope=local", received.get("query"));
        assertEquals("Bearer admin-token", received.get("authorization"));
        assertEquals("self.example:1", received.get("forwarded"));
    }

    @Test
    void gathererShouldAnswerLocalScopeAlone() throws Exception {
        cluster.instances = List.of(SELF, otherHost);
        InstanceGatherer gatherer = new InstanceGatherer(cluster, new InstanceClient(SELF, Duration.ofSeconds(5)));
        List<JsonNode> answers = new ArrayList<>();
        try (GatherServer gatherServer = new GatherServer(gatherer, answers)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(gatherServer.url + "/api/v1/usage/top?scope=local")));

            assertEquals(200, response.statusCode(), response.body());
        }

        assertEquals(1, answers.size());
        assertTrue(otherInstanceRequests.isEmpty());
    }

    @Test
    void gathererShouldAnswer503WhenAnyInstanceFails() throws Exception {
        cluster.instances = List.of(SELF, otherHost, new HostInfo("127.0.0.1", closedPort()));
        InstanceGatherer gatherer = new InstanceGatherer(cluster, new InstanceClient(SELF, Duration.ofSeconds(5)));
        List<JsonNode> answers = new ArrayList<>();
        try (GatherServer gatherServer = new GatherServer(gatherer, answers)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(gatherServer.url + "/api/v1/usage/top")));

            assertEquals(503, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        }
        assertTrue(answers.isEmpty(), "no partial answer");
    }

    @Test
    void gathererShouldAnswer503WhileRebalancing() throws Exception {
        cluster.state = KafkaStreams.State.REBALANCING;
        cluster.instances = List.of(SELF, otherHost);
        InstanceGatherer gatherer = new InstanceGatherer(cluster, new InstanceClient(SELF, Duration.ofSeconds(5)));
        List<JsonNode> answers = new ArrayList<>();
        try (GatherServer gatherServer = new GatherServer(gatherer, answers)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(gatherServer.url + "/api/v1/usage/top")));

            assertEquals(503, response.statusCode(), response.body());
        }
        assertTrue(otherInstanceRequests.isEmpty(), "no instance is asked while the instances are not known");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A server with one admin route that gathers answers the way the admin endpoints do, and the 503 mapping
     * of {@link ApiServer}.
     */
    private static final class GatherServer implements AutoCloseable {

        private final Javalin javalin;
        private final String url;

        GatherServer(InstanceGatherer gatherer, List<JsonNode> answers) {
            javalin = Javalin.create(config -> config.showJavalinBanner = false);
            javalin.get("/api/v1/usage/top", ctx -> {
                List<JsonNode> gathered = gatherer.gather(ctx,
                    () -> JSON.createObjectNode().put("answeredBy", "self"));
                answers.addAll(gathered);
                ctx.json(Map.of("instances", gathered.size()));
            });
            javalin.exception(UnavailableException.class, (e, ctx) ->
                ctx.status(503).header("Retry-After", "1").result(e.getMessage()));
            javalin.start("127.0.0.1", 0);
            url = "http://127.0.0.1:" + javalin.port();
        }

        @Override
        public void close() {
            javalin.stop();
        }
    }

    /** A cluster view whose state, owner and instances a test sets, and which records store requests. */
    private static final class FakeClusterView implements ClusterView {

        private final UsageStores stores;
        private final List<String> storeRequests = new CopyOnWriteArrayList<>();
        private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
        private volatile KeyQueryMetadata owner = KeyQueryMetadata.NOT_AVAILABLE;
        private volatile Collection<HostInfo> instances = List.of(SELF);
        private volatile boolean storesQueryable = true;

        FakeClusterView(UsageStores stores) {
            this.stores = stores;
        }

        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public KeyQueryMetadata ownerOf(String userId) {
            return owner;
        }

        @Override
        public UsageStores partitionStores(int partition, boolean allowStale) {
            storeRequests.add(partition + " stale=" + allowStale);
            if (!storesQueryable) {
                throw new InvalidStateStoreException("partition " + partition + " is restoring");
            }
            return stores;
        }

        @Override
        public Collection<HostInfo> allInstances() {
            return instances;
        }
    }
}
