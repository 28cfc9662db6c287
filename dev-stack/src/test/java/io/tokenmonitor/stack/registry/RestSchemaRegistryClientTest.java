package io.tokenmonitor.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.registry.SchemaNotFoundException;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link RestSchemaRegistryClient} against the embedded server and against misbehaving fakes. */
@Timeout(30)
class RestSchemaRegistryClientTest {

    private static final Schema USER = new Schema.Parser().parse("""
        {"type": "record", "name": "User", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}]}
        """);

    private static final Schema USER_REQUIRED_AGE = new Schema.Parser().parse("""
        {"type": "record", "name": "User", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}, {"name": "age", "type": "int"}]}
        """);

    /** Disables retries, for tests of how a single failure is reported. */
    private static final Duration NO_RETRIES = Duration.ZERO;

    /** A budget for tests that retry until they give up, short so that they finish quickly. */
    private static final Duration SHORT_BUDGET = Duration.ofMillis(400);

    private SchemaRegistryServer server;

    @BeforeEach
    void startServer() {
        server = new SchemaRegistryServer(0).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldRegisterAndFetchSchema() {
        server.registry().register("other-value", Schema.create(Schema.Type.STRING));
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());

        int id = client.register("users-value", USER);
        Schema fetched = new RestSchemaRegistryClient(server.url()).schemaById(id);

        assertEquals(2, id);
        assertEquals(id, server.registry().lookup("users-value", USER).id());
        assertEquals(USER, fetched);
    }

    @Test
    void shouldFetchSchemaRegisteredDirectlyInServer() {
        int id = server.registry().register("users-value", USER);

        Schema fetched = new RestSchemaRegistryClient(server.url()).schemaById(id);

        assertEquals(USER, fetched);
    }

    @Test
    void shouldServeRepeatedCallsFromCache() {
        RestSchemaRegistryClient client = clientWithBudget(server.url(), Duration.ofSeconds(5), SHORT_BUDGET);
        int id = client.register("users-value", USER);
        int otherId = server.registry().register("accounts-value", Schema.create(Schema.Type.STRING));
        Schema other = client.schemaById(otherId);

        // With the server gone, only calls served from the cache can succeed.
        server.close();

        assertEquals(id, client.register("users-value", USER));
        assertEquals(USER, client.schemaById(id));
        assertEquals(other, client.schemaById(otherId));
        assertThrows(SchemaRegistryException.class, () -> client.register("accounts-value", USER));
        assertThrows(SchemaRegistryException.class, () -> client.schemaById(otherId + 1));
    }

    @Test
    void shouldThrowSchemaNotFoundForUnknownId() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());

        SchemaNotFoundException error = assertThrows(SchemaNotFoundException.class, () -> client.schemaById(42));

        assertEquals(40403, error.errorCode());
        assertEquals("Schema 42 not found", error.getMessage());
    }

    @Test
    void shouldCarryErrorCodeOfIncompatibleSchema() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());
        client.register("users-value", USER);

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> client.register("users-value", USER_REQUIRED_AGE));

        assertEquals(409, error.errorCode());
        assertTrue(error.getMessage().contains("HTTP 409"), error.getMessage());
        assertTrue(error.getMessage().contains("incompatible"), error.getMessage());
    }

    @Test
    void shouldReportUnreachableRegistryWithUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        RestSchemaRegistryClient client = clientWithBudget(url, Duration.ofSeconds(5), NO_RETRIES);

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> client.register("users-value", USER));

        assertTrue(error.getMessage().contains(url), error.getMessage());
        assertTrue(error.getMessage().contains("Is the registry running?"), error.getMessage());
        assertEquals(0, error.errorCode());
    }

    @Test
    void shouldAcceptTrailingSlashInBaseUrl() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url() + "//");

        int id = client.register("users-value", USER);

        assertEquals(server.url(), client.baseUrl());
        assertEquals(USER, server.registry().schemaById(id));
    }

    @Test
    void shouldRejectInvalidBaseUrls() {
        for (String url : List.of("127.0.0.1:8081", "ftp://127.0.0.1/", "http://", "", "http://127.0.0.1:8081?x=1")) {
            assertThrows(IllegalArgumentException.class, () -> new RestSchemaRegistryClient(url), url);
        }
        assertThrows(IllegalArgumentException.class, () -> new RestSchemaRegistryClient(null));
        assertThrows(IllegalArgumentException.class,
            () -> new RestSchemaRegistryClient(server.url(), Duration.ZERO));
    }

    @Test
    void shouldEncodeSubjectInPath() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());
        String subject = "orders vü+value?&#";

        int id = client.register(subject, USER);

        assertEquals(List.of(subject), server.registry().subjects());
        assertEquals(id, server.registry().latestVersion(subject).id());
    }

    @Test
    void shouldEncodeSlashInSubject() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());

        client.register("team/orders-value", USER);

        assertEquals(List.of("team/orders-value"), server.registry().subjects());
    }

    @Test
    void shouldRoundTripAvroSerdeOverRest() {
        TokenUsage usage = TokenUsage.newBuilder()
            .setRequestId("req-1")
            .setUserId("user-7")
            .setTimestamp(Instant.ofEpochMilli(1_700_000_000_123L))
            .setModel("meta-llama/Meta-Llama-3-70B-Instruct")
            .setProvider("together")
            .setApp(null)
            .setPromptTokens(12L)
            .setCompletionTokens(30L)
            .setTotalTokens(42L)
            .setTokenSource(TokenSource.REPORTED)
            .build();
        String topic = Topics.TOKEN_USAGE.name();
        AvroSerde<TokenUsage> writer = new AvroSerde<>(new RestSchemaRegistryClient(server.url()), TokenUsage.class);
        AvroSerde<TokenUsage> reader = new AvroSerde<>(new RestSchemaRegistryClient(server.url()), TokenUsage.class);

        byte[] bytes = writer.serialize(topic, usage);
        TokenUsage decoded = reader.deserialize(topic, bytes);

        assertEquals(usage, decoded);
        assertEquals(List.of("token-usage-value"), server.registry().subjects());
    }

    @Test
    void shouldReportNonJsonErrorBody() throws IOException {
        try (FakeRegistry fake = new FakeRegistry(exchange ->
                respond(exchange, 503, "text/html", "<html>Service Unavailable</html>"))) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofSeconds(5), NO_RETRIES);

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertEquals(0, error.errorCode());
            assertTrue(error.getMessage().contains("HTTP 503"), error.getMessage());
            assertTrue(error.getMessage().contains("<html>Service Unavailable</html>"), error.getMessage());
        }
    }

    @Test
    void shouldReportResponseWithoutId() throws IOException {
        try (FakeRegistry fake = new FakeRegistry(exchange ->
                respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, "{\"identifier\": 3}"))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(fake.url());

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertTrue(error.getMessage().startsWith("Invalid response"), error.getMessage());
            assertTrue(error.getMessage().contains("{\"identifier\": 3}"), error.getMessage());
        }
    }

    @Test
    void shouldRejectNonAvroSchemaById() throws IOException {
        String protobuf = "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}";
        try (FakeRegistry fake = new FakeRegistry(exchange ->
                respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, protobuf))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(fake.url());

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

            assertEquals(42201, error.errorCode());
            assertTrue(error.getMessage().contains("PROTOBUF"), error.getMessage());
        }
    }

    @Test
    void shouldTimeOutWhenRegistryDoesNotRespond() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, "{\"id\": 1}");
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofMillis(300), NO_RETRIES);

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertTrue(error.getMessage().contains("timed out after PT0.3S"), error.getMessage());
            assertTrue(error.getMessage().contains(fake.url()), error.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldRetryServerErrorsUntilSuccess() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            int attempt = requests.incrementAndGet();
            if (attempt == 1) {
                respond(exchange, 503, "text/html", "<html>Service Unavailable</html>");
            } else if (attempt == 2) {
                respond(exchange, 500, RestSchemaRegistryClient.CONTENT_TYPE,
                    "{\"error_code\": 50001, \"message\": \"Storing the version failed\"}");
            } else if (attempt == 3) {
                respond(exchange, 429, "text/plain", "Too Many Requests");
            } else if (attempt == 4) {
                respond(exchange, 408, "text/plain", "Request Timeout");
            } else {
                respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, "{\"id\": 7}");
            }
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofSeconds(5),
                Duration.ofSeconds(20));

            int id = client.register("users-value", USER);

            assertEquals(7, id);
            assertEquals(5, requests.get());
        }
    }

    @Test
    void shouldRetryTimedOutRequest() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            if (requests.incrementAndGet() == 1) {
                awaitQuietly(release);
            }
            String body = new ObjectMapper().createObjectNode().put("schema", USER.toString()).toString();
            respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, body);
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofMillis(300),
                Duration.ofSeconds(20));

            Schema schema = client.schemaById(3);

            assertEquals(USER, schema);
            assertEquals(2, requests.get());
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldRetryRefusedConnectionUntilRegistryStarts() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = clientWithBudget("http://127.0.0.1:" + port, Duration.ofSeconds(5),
            Duration.ofSeconds(20));
        AtomicInteger requests = new AtomicInteger();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> id = caller.submit(() -> client.register("users-value", USER));

            // The registry starts on the port only after the client's first attempt was refused. Retries
            // keep the call going meanwhile, so the call succeeds once the server is up.
            Thread.sleep(300);
            try (FakeRegistry fake = new FakeRegistry(port, exchange -> {
                requests.incrementAndGet();
                respond(exchange, 200, RestSchemaRegistryClient.CONTENT_TYPE, "{\"id\": 4}");
            })) {
                assertEquals(4, id.get(25, TimeUnit.SECONDS));
                assertEquals(1, requests.get());
            }
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void shouldNotRetryClientErrors() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 422, RestSchemaRegistryClient.CONTENT_TYPE,
                "{\"error_code\": 42201, \"message\": \"Invalid schema\"}");
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofSeconds(5),
                Duration.ofSeconds(20));

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertEquals(42201, error.errorCode());
            assertEquals(1, requests.get());
        }
    }

    @Test
    void shouldNotRetryUnknownSchemaId() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 404, RestSchemaRegistryClient.CONTENT_TYPE,
                "{\"error_code\": 40403, \"message\": \"Schema 9 not found\"}");
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofSeconds(5),
                Duration.ofSeconds(20));

            assertThrows(SchemaNotFoundException.class, () -> client.schemaById(9));

            assertEquals(1, requests.get());
        }
    }

    @Test
    void shouldGiveUpAfterRetryBudget() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        try (FakeRegistry fake = new FakeRegistry(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 500, RestSchemaRegistryClient.CONTENT_TYPE,
                "{\"error_code\": 50001, \"message\": \"Storing the version failed\"}");
        })) {
            RestSchemaRegistryClient client = clientWithBudget(fake.url(), Duration.ofSeconds(5), SHORT_BUDGET);

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertEquals(50001, error.errorCode());
            assertTrue(error.getMessage().startsWith("Gave up after " + requests.get() + " attempts"),
                error.getMessage());
            assertTrue(error.getMessage().contains("retry budget 400 ms"), error.getMessage());
            assertTrue(error.getMessage().contains("Storing the version failed"), error.getMessage());
            assertTrue(requests.get() > 1, "attempts: " + requests.get());
        }
    }

    @Test
    void shouldGiveUpOnUnreachableRegistry() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = clientWithBudget("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5),
            SHORT_BUDGET);

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

        assertTrue(error.getMessage().startsWith("Gave up after"), error.getMessage());
        assertTrue(error.getMessage().contains("Failed to connect"), error.getMessage());
        assertEquals(0, error.errorCode());
    }

    @Test
    void shouldKeepPasswordOutOfErrors() throws IOException {
        try (FakeRegistry fake = new FakeRegistry(exchange ->
                respond(exchange, 503, "text/plain", "Service Unavailable"))) {
            String url = fake.url().replace("http://", "http://operator:secret-password@");
            RestSchemaRegistryClient client = clientWithBudget(url, Duration.ofSeconds(5), SHORT_BUDGET);

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

            assertTrue(error.getMessage().contains(fake.url()), error.getMessage());
            assertTrue(!error.getMessage().contains("secret-password"), error.getMessage());
        }
    }

    @Test
    void shouldRejectInvalidRetrySettings() {
        String url = "http://127.0.0.1:1";
        Duration second = Duration.ofSeconds(1);

        assertThrows(IllegalArgumentException.class,
            () -> new RestSchemaRegistryClient(url, second, Duration.ofMillis(-1), second, second));
        assertThrows(IllegalArgumentException.class,
            () -> new RestSchemaRegistryClient(url, second, second, Duration.ZERO, second));
        assertThrows(IllegalArgumentException.class,
            () -> new RestSchemaRegistryClient(url, second, second, second, Duration.ofMillis(10)));
    }

    /** Creates a client with short backoffs, so that retrying tests stay fast. */
    private static RestSchemaRegistryClient clientWithBudget(String url, Duration requestTimeout,
                                                             Duration retryBudget) {
        return new RestSchemaRegistryClient(url, requestTimeout, retryBudget, Duration.ofMillis(10),
            Duration.ofMillis(100));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JDK HTTP server on 127.0.0.1 that answers every request with one handler. */
    private static final class FakeRegistry implements AutoCloseable {

        private final HttpServer httpServer;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        FakeRegistry(HttpHandler handler) throws IOException {
            this(0, handler);
        }

        /** Starts the server on a port, or on a free port for 0. */
        FakeRegistry(int port, HttpHandler handler) throws IOException {
            httpServer = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            httpServer.createContext("/", handler);
            httpServer.setExecutor(executor);
            httpServer.start();
        }

        String url() {
            return "http://127.0.0.1:" + httpServer.getAddress().getPort();
        }

        @Override
        public void close() {
            httpServer.stop(0);
            executor.shutdownNow();
        }
    }
}
