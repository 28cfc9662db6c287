package io.tokenmonitor.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 for delivery tests. It responds to each POST with the next scripted
 * {@link Reply}, and with the fallback reply once the script is used up. It honours the Idempotency-Key
 * header: an alert whose key it has processed before is acknowledged but not processed again. It can be
 * stopped and started again on the same port.
 */
final class ScriptedWebhookReceiver implements AutoCloseable {

    /** What the receiver does with one request. */
    enum Reply {
        /** Process the alert and respond 200. */
        OK,
        /** Respond 500 without processing. */
        SERVER_ERROR,
        /** Respond 503 without processing. */
        UNAVAILABLE,
        /** Respond 404 without processing. */
        NOT_FOUND,
        /** Process the alert, then respond 200 only after {@link #HANG_TIME}, past the client's time limit. */
        PROCESS_THEN_HANG
    }

    /** One request as received. */
    record Request(String idempotencyKey, String contentType, String bodyAlertId, Reply reply) {
    }

    static final Duration HANG_TIME = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<Reply> script;
    private final Reply afterScript;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> processedKeys = new HashSet<>();
    private final Map<String, Integer> processedAlerts = new HashMap<>();
    private final Set<String> acknowledgedAlerts = new HashSet<>();
    private HttpServer server;
    private int port;

    /**
     * Creates a stopped receiver.
     *
     * @param script the replies to the first requests, in order
     * @param afterScript the reply to every request after the script
     */
    ScriptedWebhookReceiver(List<Reply> script, Reply afterScript) {
        this.script = new ConcurrentLinkedDeque<>(script);
        this.afterScript = afterScript;
    }

    /** Starts listening on 127.0.0.1, on a free port the first time and on the same port after a stop. */
    synchronized ScriptedWebhookReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        server.createContext("/alerts", this::handle);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** Stops listening; requests in progress are abandoned. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized String url() {
        return "http://127.0.0.1:" + port + "/alerts?token=secret-in-query";
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Returns how often each alert id (from the body) was processed, which honours the idempotency key. */
    synchronized Map<String, Integer> processedAlerts() {
        return Map.copyOf(processedAlerts);
    }

    /** Returns the alert ids that got a 200 response at least once. */
    synchronized Set<String> acknowledgedAlerts() {
        return Set.copyOf(acknowledgedAlerts);
    }

    synchronized int processedCount() {
        return processedAlerts.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String alertId;
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode alert = JSON.readTree(body);
                alertId = alert.path("alertId").asText(null);
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Reply reply = script.isEmpty() ? afterScript : script.pollFirst();
            synchronized (this) {
                requests.add(new Request(key, contentType, alertId, reply));
            }

            switch (reply) {
                case OK -> {
                    process(key, alertId);
                    acknowledge(exchange, alertId);
                }
                case PROCESS_THEN_HANG -> {
                    process(key, alertId);
                    sleep(HANG_TIME);
                    acknowledge(exchange, alertId);
                }
                case SERVER_ERROR -> exchange.sendResponseHeaders(500, -1);
                case UNAVAILABLE -> exchange.sendResponseHeaders(503, -1);
                case NOT_FOUND -> exchange.sendResponseHeaders(404, -1);
                default -> throw new IllegalStateException("Unexpected reply " + reply);
            }
        }
    }

    /** Processes the alert unless its idempotency key was processed before. */
    private synchronized void process(String key, String alertId) {
        if (key != null && processedKeys.add(key)) {
            processedAlerts.merge(alertId, 1, Integer::sum);
        }
    }

    private void acknowledge(HttpExchange exchange, String alertId) throws IOException {
        synchronized (this) {
            acknowledgedAlerts.add(alertId);
        }
        exchange.sendResponseHeaders(200, -1);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
