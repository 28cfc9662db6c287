package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three processor instances of one application on a real in-process broker with six partitions and one
 * standby replica per store. Every instance answers for every user, forwarding to the owner, and while one
 * instance leaves, every answer is either 503 with {@code Retry-After} or the correct total.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class MultiInstanceQueryTest {

    private static final String ADMIN_TOKEN = ApiTokens.generate();

    private static final int PARTITIONS = 6;
    private static final int INSTANCES = 3;
    private static final int USERS = 50;
    private static final int RECORDS = 805;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path stateRoot;

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registryServer;
    private RestSchemaRegistryClient registry;
    private final List<TokenMonitorProcessor> processors = new ArrayList<>();
    private final Map<String, Long> expectedTotals = new HashMap<>();
    private final Map<String, Long> expectedRequests = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    @BeforeAll
    void startStack() throws Exception {
        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(PARTITIONS).build().start();
        TopicSetup.createProductTopics(broker.bootstrapServers(), PARTITIONS, (short) 1, Duration.ofSeconds(30));
        registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0, broker.bootstrapServers(), (short) 1,
            Duration.ofSeconds(30)).start();
        registry = new RestSchemaRegistryClient(registryServer.url());

        // application.server must name the real port before Kafka Streams starts, so ports are picked here.
        List<Integer> ports = freePorts(INSTANCES);
        for (int i = 0; i < INSTANCES; i++) {
            ProcessorConfig config = ProcessorConfig.defaults()
                .withApplicationId("multi-instance-query-test")
                .withBootstrapServers(broker.bootstrapServers())
                .withSchemaRegistryUrl(registryServer.url())
                .withStateDir(stateRoot.resolve("instance-" + i))
                .withHttpPort(ports.get(i))
                .withStandbyReplicas(1);
            processors.add(TokenMonitorProcessor.start(config, registry, ApiTokens.of(ADMIN_TOKEN, Map.of())));
        }
        awaitEveryInstanceActive();
    }

    @AfterAll
    void stopStack() {
        processors.forEach(TokenMonitorProcessor::close);
        if (registryServer != null) {
            registryServer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void everyInstanceAnswersEveryUserAlike() throws Exception {
        Path file = SharedData.file("gpt-4o-2024-05-13.json");
        int exitCode = AgentCommand.run("replay", file.toString(), "--users", Integer.toString(USERS), "--rate", "0",
            "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryServer.url());
        assertEquals(0, exitCode);
        readExpectedTotals();
        assertEquals(USERS, expectedTotals.size());

        for (TokenMonitorProcessor processor : processors) {
            assertTrue(ownsSomeButNotAllUsers(processor),
                "every instance must answer some users from its stores and forward others");
        }
        awaitCorrectAnswers(processors, WAIT);

        for (int user = 1; user <= USERS; user++) {
            String userId = "user-" + user;
            JsonNode first = null;
            for (TokenMonitorProcessor processor : processors) {
                HttpResponse<String> response = get(processor, usagePath(userId, false));
                assertEquals(200, response.statusCode(), userId + " on port " + processor.httpPort());
                JsonNode body = JSON.readTree(response.body());
                assertEquals(expectedTotals.get(userId).longValue(), body.get("totalTokens").asLong(), userId);
                assertEquals(expectedRequests.get(userId).longValue(), body.get("requests").asLong(), userId);
                if (first == null) {
                    first = body;
                } else {
                    assertEquals(first, body, userId + ": instances answered differently");
                }
            }
        }
    }

    @Test
    @Order(2)
    void adminListsGatherEveryInstance() throws Exception {
        assertEquals(USERS, expectedTotals.size(), "the first test replays the data");
        Set<String> localUsers = new HashSet<>();
        int localListsTotal = 0;
        for (TokenMonitorProcessor processor : processors) {
            JsonNode top = getJson(processor, "/api/v1/usage/top?limit=1000");
            assertEquals(USERS, top.get("users").size(), "top users on port " + processor.httpPort());
            for (JsonNode user : top.get("users")) {
                String userId = user.get("userId").asText();
                assertEquals(expectedTotals.get(userId).longValue(), user.get("totalTokens").asLong(), userId);
            }

            JsonNode users = getJson(processor, "/api/v1/users?prefix=user-&limit=1000");
            assertEquals(USERS, users.get("users").size(), "users on port " + processor.httpPort());
            assertFalse(users.get("truncated").asBoolean());

            JsonNode local = getJson(processor, "/api/v1/users?prefix=user-&limit=1000&scope=local");
            local.get("users").forEach(user -> localUsers.add(user.asText()));
            localListsTotal += local.get("users").size();
        }
        // Each user's data is on exactly one instance, so the local lists split the users between them.
        assertEquals(USERS, localListsTotal);
        assertEquals(expectedTotals.keySet(), localUsers);
    }

    @Test
    @Order(3)
    void answersStayCorrectWhileInstanceLeaves() throws Exception {
        assertEquals(USERS, expectedTotals.size(), "the first test replays the data");
        TokenMonitorProcessor leaving = processors.stream()
            .max((a, b) -> Integer.compare(activeTasks(a), activeTasks(b)))
            .orElseThrow();
        List<TokenMonitorProcessor> remaining = new ArrayList<>(processors);
        remaining.remove(leaving);

        PollCounts counts = new PollCounts();
        Instant start = Instant.now();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(leaving::close);
        Instant deadline = start.plus(WAIT);
        boolean settled = false;
        while (!settled) {
            assertTrue(Instant.now().isBefore(deadline), "answers did not settle within " + WAIT + ": " + counts);
            boolean allCorrect = pollEveryUser(remaining, counts);
            settled = allCorrect && closing.isDone()
                && remaining.stream().allMatch(p -> p.streams().state() == KafkaStreams.State.RUNNING);
        }
        closing.get(0, TimeUnit.SECONDS);
        processors.remove(leaving);
        Duration elapsed = Duration.between(start, Instant.now());
        System.out.printf("Instance on port %d left; answers settled after %d ms: %s%n",
            leaving.httpPort(), elapsed.toMillis(), counts);

        assertTrue(counts.staleOk > 0, "allowStale reads should be answered: " + counts);
        assertTrue(counts.staleOkWhileRebalancing + counts.staleOkWhileFreshUnavailable > 0,
            "a standby should answer allowStale reads during the rebalance: " + counts);
        for (TokenMonitorProcessor processor : remaining) {
            assertNotEquals(leaving.httpPort(), processor.httpPort());
        }
        awaitCorrectAnswers(remaining, Duration.ofSeconds(5));
    }

    /**
     * Asks every instance once for every user, fresh and with allowStale, checks each answer and counts it.
     *
     * @return true when every answer was 200 with the expected totals
     */
    private boolean pollEveryUser(List<TokenMonitorProcessor> instances, PollCounts counts) throws Exception {
        boolean allCorrect = true;
        for (int user = 1; user <= USERS; user++) {
            String userId = "user-" + user;
            for (TokenMonitorProcessor processor : instances) {
                boolean rebalancing = processor.streams().state() == KafkaStreams.State.REBALANCING;
                HttpResponse<String> fresh = get(processor, usagePath(userId, false));
                boolean freshOk = checkAnswer(userId, fresh);
                counts.count(false, freshOk);
                allCorrect &= freshOk;

                HttpResponse<String> stale = get(processor, usagePath(userId, true));
                String where = "allowStale on port " + processor.httpPort() + ", " + describeOwner(processor, userId);
                boolean staleOk = checkAnswer(userId + " (" + where + ")", stale);
                counts.count(true, staleOk);
                if (staleOk && rebalancing) {
                    counts.staleOkWhileRebalancing++;
                }
                if (staleOk && !freshOk) {
                    counts.staleOkWhileFreshUnavailable++;
                }
            }
        }
        return allCorrect;
    }

    /**
     * Checks that an answer is the user's exact totals or 503 with {@code Retry-After}.
     *
     * @return true for the exact totals, false for 503
     */
    private boolean checkAnswer(String label, HttpResponse<String> response) throws Exception {
        String userId = label.split(" ")[0];
        if (response.statusCode() == 503) {
            assertTrue(response.headers().firstValue("Retry-After").isPresent(),
                userId + ": 503 without Retry-After: " + response.body());
            return false;
        }
        assertEquals(200, response.statusCode(), userId + ": " + response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(userId, body.get("userId").asText());
        assertEquals(expectedTotals.get(userId).longValue(), body.get("totalTokens").asLong(),
            label + ": wrong total during the rebalance");
        assertEquals(expectedRequests.get(userId).longValue(), body.get("requests").asLong(),
            label + ": wrong request count during the rebalance");
        return true;
    }

    private void awaitCorrectAnswers(List<TokenMonitorProcessor> instances, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        PollCounts counts = new PollCounts();
        while (!pollEveryUser(instances, counts)) {
            assertTrue(Instant.now().isBefore(deadline), "answers were not all correct within " + timeout + ": "
                + counts);
            Thread.sleep(100);
        }
    }

    private void readExpectedTotals() {
        List<ConsumerRecord<String, TokenUsage>> usage;
        try (TopicReader<TokenUsage> reader = new TopicReader<>(broker.bootstrapServers(), Topics.TOKEN_USAGE.name(),
            new AvroSerde<>(registry, TokenUsage.class).deserializer())) {
            usage = reader.readUntil(read -> read.size() >= RECORDS, WAIT);
        }
        assertEquals(RECORDS, usage.size());
        for (ConsumerRecord<String, TokenUsage> record : usage) {
            TokenUsage value = record.value();
            assertEquals(record.key(), value.getUserId());
            expectedTotals.merge(value.getUserId(), value.getTotalTokens(), Long::sum);
            expectedRequests.merge(value.getUserId(), 1L, Long::sum);
        }
    }

    /** Waits until every instance is RUNNING and owns at least one active task. */
    private void awaitEveryInstanceActive() throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        for (TokenMonitorProcessor processor : processors) {
            processor.awaitRunning(WAIT);
        }
        while (!processors.stream().allMatch(p -> p.streams().state() == KafkaStreams.State.RUNNING
            && activeTasks(p) > 0)) {
            if (Instant.now().isAfter(deadline)) {
                fail("Not every instance got an active task within " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    private boolean ownsSomeButNotAllUsers(TokenMonitorProcessor processor) {
        HostInfo self = new HostInfo("127.0.0.1", processor.httpPort());
        int owned = 0;
        for (int user = 1; user <= USERS; user++) {
            KeyQueryMetadata owner = processor.streams().queryMetadataForKey(
                TokenMonitorTopology.USAGE_PERIODS_STORE, "user-" + user, new StringSerializer());
            if (self.equals(owner.activeHost())) {
                owned++;
            }
        }
        return owned > 0 && owned < USERS;
    }

    /** Describes where Kafka Streams places a user's partition, for failure messages. */
    private static String describeOwner(TokenMonitorProcessor processor, String userId) {
        try {
            KeyQueryMetadata owner = processor.streams().queryMetadataForKey(
                TokenMonitorTopology.USAGE_PERIODS_STORE, userId, new StringSerializer());
            return "partition " + owner.partition() + ", active " + owner.activeHost() + ", standbys "
                + owner.standbyHosts() + ", local lags " + processor.streams().allLocalStorePartitionLags()
                .get(TokenMonitorTopology.USAGE_PERIODS_STORE);
        } catch (RuntimeException e) {
            return "owner unknown: " + e;
        }
    }

    private static int activeTasks(TokenMonitorProcessor processor) {
        int tasks = 0;
        for (ThreadMetadata thread : processor.streams().metadataForLocalThreads()) {
            tasks += thread.activeTasks().size();
        }
        return tasks;
    }

    private static String usagePath(String userId, boolean allowStale) {
        return "/api/v1/users/" + userId + "/usage" + (allowStale ? "?allowStale=true" : "");
    }

    private JsonNode getJson(TokenMonitorProcessor processor, String path) throws Exception {
        HttpResponse<String> response = get(processor, path);
        assertEquals(200, response.statusCode(), path + " on port " + processor.httpPort() + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(TokenMonitorProcessor processor, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + processor.httpPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Returns free ports on 127.0.0.1, held open together so they differ, then released for the instances. */
    private static List<Integer> freePorts(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Answers seen while polling, by kind. */
    private static final class PollCounts {

        private int freshOk;
        private int freshUnavailable;
        private int staleOk;
        private int staleUnavailable;
        private int staleOkWhileRebalancing;
        private int staleOkWhileFreshUnavailable;

        void count(boolean allowStale, boolean ok) {
            if (allowStale) {
                staleOk += ok ? 1 : 0;
                staleUnavailable += ok ? 0 : 1;
            } else {
                freshOk += ok ? 1 : 0;
                freshUnavailable += ok ? 0 : 1;
            }
        }

        @Override
        public String toString() {
            return "fresh 200: " + freshOk + ", fresh 503: " + freshUnavailable + ", allowStale 200: " + staleOk
                + ", allowStale 503: " + staleUnavailable + ", allowStale 200 while rebalancing: "
                + staleOkWhileRebalancing + ", allowStale 200 while a fresh read got 503: "
                + staleOkWhileFreshUnavailable;
        }
    }
}
