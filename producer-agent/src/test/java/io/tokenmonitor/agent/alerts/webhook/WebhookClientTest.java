package io.tokenmonitor.agent.alerts.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tokenmonitor.agent.alerts.AlertJson;
import io.tokenmonitor.schema.UsageAlert;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final UsageAlert ALERT = UsageAlert.newBuilder()
        .setAlertId("71c4de9b-9bb3-30f1-9934-f7a827c1be85")
        .setUserId("user-1")
        .setPeriod("2026-12-01")
        .setPeriodStart(Instant.parse("2026-12-01T00:00:00Z"))
        .setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z"))
        .setThresholdPercent(80)
        .setLimit(20_000L)
        .setTotalTokens(16_100L)
        .setTimestamp(Instant.parse("2026-12-04T17:35:38.451Z"))
        .setRequestId("r-1")
        .build();

    /** One request as the server received it. */
    private record Received(String path, String method, String idempotencyKey, String contentType, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldPostAlertJsonWithIdempotencyKey() throws Exception {
        respond("/hook", 204, null);

        AttemptResult result = client("/hook?token=abc").post(ALERT);

        assertEquals(AttemptResult.Outcome.DELIVERED, result.outcome());
        assertEquals(204, result.status());
        assertEquals(1, received.size());
        Received request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals(ALERT.getAlertId(), request.idempotencyKey());
        assertEquals("application/json", request.contentType());
        assertEquals(AlertJson.toLine(ALERT), request.body());
    }

    @ParameterizedTest
    @CsvSource({"500, RETRYABLE", "502, RETRYABLE", "503, RETRYABLE", "408, RETRYABLE", "429, RETRYABLE",
        "400, REJECTED", "401, REJECTED", "404, REJECTED", "410, REJECTED", "422, REJECTED", "200, DELIVERED",
        "202, DELIVERED", "302, REJECTED", "301, REJECTED"})
    void shouldClassifyStatus(int status, AttemptResult.Outcome expected) throws Exception {
        respond("/hook", status, null);

        AttemptResult result = client("/hook").post(ALERT);

        assertEquals(expected, result.outcome());
        assertEquals(status, result.status());
    }

    @Test
    void shouldReadRetryAfterSeconds() throws Exception {
        respond("/hook", 429, "7");

        AttemptResult result = client("/hook").post(ALERT);

        assertEquals(AttemptResult.Outcome.RETRYABLE, result.outcome());
        assertEquals(Duration.ofSeconds(7), result.retryAfter());
    }

    @Test
    void shouldIgnoreRetryAfterDate() throws Exception {
        respond("/hook", 503, "Fri, 04 Dec 2026 20:00:00 GMT");

        AttemptResult result = client("/hook").post(ALERT);

        assertNull(result.retryAfter());
    }

    @Test
    void shouldFollowRedirectToSameOrigin() throws Exception {
        redirect("/old", 308, "/new");
        respond("/new", 200, null);

        AttemptResult result = client("/old").post(ALERT);

        assertEquals(AttemptResult.Outcome.DELIVERED, result.outcome());
        assertEquals(2, received.size());
        assertEquals("POST", received.get(1).method());
        assertEquals(AlertJson.toLine(ALERT), received.get(1).body());
    }

    @Test
    void shouldRejectRedirectToOtherPort() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            redirect("/hook", 307, "http://127.0.0.1:" + other.getLocalPort() + "/hook");

            AttemptResult result = client("/hook").post(ALERT);

            assertEquals(AttemptResult.Outcome.REJECTED, result.outcome());
            assertEquals(307, result.status());
            assertEquals(1, received.size());
        }
    }

    @Test
    void shouldRejectRedirectToOtherHost() throws Exception {
        redirect("/hook", 307, "http://localhost:" + server.getAddress().getPort() + "/hook");

        AttemptResult result = client("/hook").post(ALERT);

        assertEquals(AttemptResult.Outcome.REJECTED, result.outcome());
        assertEquals(1, received.size());
    }

    @Test
    void shouldStopRedirectLoop() throws Exception {
        redirect("/loop", 307, "/loop");

        AttemptResult result = client("/loop").post(ALERT);

        assertEquals(AttemptResult.Outcome.REJECTED, result.outcome());
        assertEquals(WebhookClient.MAX_REDIRECTS + 1, received.size());
    }

    @Test
    void shouldTimeOutHangingServer() throws Exception {
        server.createContext("/slow", exchange -> {
            record(exchange);
            sleep(Duration.ofSeconds(5));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        WebhookClient client = new WebhookClient(url("/slow"), Duration.ofMillis(300));
        long startNanos = System.nanoTime();

        AttemptResult result = client.post(ALERT);

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertEquals(AttemptResult.Outcome.RETRYABLE, result.outcome());
        assertEquals(AttemptResult.NO_STATUS, result.status());
        assertTrue(elapsedMs < 3_000, "took " + elapsedMs + " ms");
    }

    @Test
    void shouldRetryRefusedConnection() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        WebhookClient client = new WebhookClient(URI.create("http://127.0.0.1:" + port + "/hook"), TIMEOUT);

        AttemptResult result = client.post(ALERT);

        assertEquals(AttemptResult.Outcome.RETRYABLE, result.outcome());
        assertEquals("none", result.statusText());
    }

    @Test
    void shouldRejectInvalidUrls() {
        assertThrows(IllegalArgumentException.class, () -> WebhookClient.validate(URI.create("ftp://127.0.0.1/x")));
        assertThrows(IllegalArgumentException.class, () -> WebhookClient.validate(URI.create("/relative")));
        assertThrows(IllegalArgumentException.class, () -> WebhookClient.validate(URI.create("http:///path")));
    }

    @Test
    void shouldDescribeOnlySchemeHostPort() {
        URI url = URI.create("https://user:password@hooks.example.com:8443/path/secret?token=abc");

        assertEquals("https://hooks.example.com:8443", WebhookClient.describe(url));
    }

    private WebhookClient client(String pathAndQuery) {
        return new WebhookClient(url(pathAndQuery), TIMEOUT);
    }

    private URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    private void respond(String path, int status, String retryAfter) {
        server.createContext(path, exchange -> {
            record(exchange);
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private void redirect(String path, int status, String location) {
        server.createContext(path, exchange -> {
            record(exchange);
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private void record(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream input = exchange.getRequestBody()) {
            body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
        received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestMethod(),
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            exchange.getRequestHeaders().getFirst("Content-Type"), body));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
