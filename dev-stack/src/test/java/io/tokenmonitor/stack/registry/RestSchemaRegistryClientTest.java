package io.tokenmonitor.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(server.url());
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
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url, Duration.ofSeconds(5));

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
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(fake.url());

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
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(fake.url(), Duration.ofMillis(300));

            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER));

            assertTrue(error.getMessage().contains("timed out after PT0.3S"), error.getMessage());
            assertTrue(error.getMessage().contains(fake.url()), error.getMessage());
        } finally {
            release.countDown();
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
            httpServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
