package io.tokenmonitor.processor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error responses written by Jetty as well as by the API, checked over raw sockets, because
 * {@code java.net.http} rejects malformed URLs before it sends them.
 */
class ErrorResponsesTest {

    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** Larger than Jetty's default request header size of 8 KiB, which also bounds the request line. */
    private static final int OVERSIZED_LENGTH = 9 * 1024;

    @TempDir
    Path stateDir;

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi(1_000, stateDir, NOW);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void nulInPathIsJsonBadRequest() throws IOException {
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            assertJsonError(400, send(method + " /api/v1/users/%00/usage HTTP/1.1", Map.of("Content-Length", "0")));
        }
    }

    @Test
    void barePercentInPathIsJsonBadRequest() throws IOException {
        assertJsonError(400, send("GET /api/v1/users/% HTTP/1.1", Map.of()));
        assertJsonError(400, send("GET /api/v1/users/%zz/usage HTTP/1.1", Map.of()));
    }

    @Test
    void invalidQueryEncodingIsBadRequest() throws IOException {
        for (String query : new String[] {"limit=%ZZ", "period=%C3%28", "before=%", "limit=5%2"}) {
            RawResponse response = send("GET /api/v1/users/user-1/requests?" + query + " HTTP/1.1", Map.of());

            assertJsonError(400, response);
            assertTrue(response.body().contains("query string"), query + ": " + response.body());
        }
    }

    @Test
    void invalidUtf8InPathIsBadRequest() throws IOException {
        RawResponse response = send("GET /api/v1/users/%C3%28/requests HTTP/1.1", Map.of());

        assertJsonError(400, response);
        assertTrue(response.body().contains("not UTF-8"), response.body());
    }

    @Test
    void unknownHttpVersionIsJsonError() throws IOException {
        assertJsonError(505, send("GET /api/v1/stats HTTP/9.9", Map.of()));
    }

    @Test
    void largeHeaderIsJsonWithoutEcho() throws IOException {
        String token = "secret-" + "a".repeat(OVERSIZED_LENGTH);

        RawResponse response = send("GET /api/v1/whoami HTTP/1.1", Map.of("Authorization", "Bearer " + token));

        assertJsonError(431, response);
        assertFalse(response.body().contains("secret-"), response.body());
    }

    @Test
    void longUrlIsJsonUriTooLong() throws IOException {
        String path = "/api/v1/users/" + "u".repeat(OVERSIZED_LENGTH) + "/usage";

        assertJsonError(414, send("GET " + path + " HTTP/1.1", Map.of()));
    }

    @Test
    void wrongMethodIsMethodNotAllowed() throws IOException {
        for (String request : new String[] {
            "POST /api/v1/users/user-1/usage", "PUT /api/v1/users/user-1/plan", "DELETE /api/v1/stats",
            "PATCH /api/v1/users/user-1/requests", "POST /health", "POST /dashboard/dashboard.js"}) {
            RawResponse response = send(request + " HTTP/1.1", Map.of("Content-Length", "0"));

            assertJsonError(405, response);
            assertEquals("GET, HEAD", response.header("Allow"), request);
        }
    }

    @Test
    void wrongMethodOnUnknownPathIsNotFound() throws IOException {
        for (String request : new String[] {"POST /api/v1/nothing", "POST /api/v1/users/user-1", "GET /api/v2/stats",
            "POST /api/v1/users/user-1/usage/extra"}) {
            RawResponse response = send(request + " HTTP/1.1", Map.of("Content-Length", "0"));

            assertJsonError(404, response);
            assertNull(response.header("Allow"), request);
        }
    }

    @Test
    void unknownMethodIsNotImplemented() throws IOException {
        for (String path : new String[] {"/api/v1/stats", "/api/v1/nothing"}) {
            RawResponse response = send("FOO " + path + " HTTP/1.1", Map.of("Content-Length", "0"));

            assertJsonError(501, response);
            assertNull(response.header("Allow"), path);
        }
    }

    @Test
    void headRunsGetHandlerWithoutBody() throws IOException {
        RawResponse valid = send("HEAD /api/v1/users/user-1/usage HTTP/1.1", Map.of());
        RawResponse invalid = send("HEAD /api/v1/users/user-1/usage?period=bad HTTP/1.1", Map.of());

        assertEquals(200, valid.status());
        assertTrue(valid.header("Content-Type").startsWith("application/json"), valid.header("Content-Type"));
        assertEquals("", valid.body());
        assertEquals(400, invalid.status());
        assertTrue(invalid.header("Content-Type").startsWith("application/json"), invalid.header("Content-Type"));
        assertEquals("", invalid.body());
    }

    @Test
    void headOnUnknownPathIsNotFound() throws IOException {
        RawResponse response = send("HEAD /api/v1/nothing HTTP/1.1", Map.of());

        assertEquals(404, response.status());
        assertNull(response.header("Allow"));
        assertEquals("", response.body());
    }

    private static void assertJsonError(int status, RawResponse response) throws IOException {
        assertEquals(status, response.status(), response.body());
        String contentType = response.header("Content-Type");
        assertNotNull(contentType, response.body());
        assertTrue(contentType.startsWith("application/json"), contentType);
        JsonNode body = TestApi.JSON.readTree(response.body());
        assertEquals(status, body.path("status").asInt(), response.body());
        assertFalse(body.path("error").asText().isBlank(), response.body());
        assertTrue(body.has("parameter"), response.body());
    }

    /** Sends one request with {@code Connection: close} and reads the response until the server closes. */
    private RawResponse send(String requestLine, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder(requestLine).append("\r\n");
        request.append("Host: 127.0.0.1:").append(api.port()).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Connection: close\r\n\r\n");

        byte[] raw;
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            raw = in.readAllBytes();
        }
        return RawResponse.parse(new String(raw, StandardCharsets.UTF_8));
    }

    /** A parsed HTTP/1.1 response, with header names in lower case and a body that is not chunked. */
    private record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse parse(String text) {
            int headerEnd = text.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                throw new AssertionError("Response has no end of headers: " + text);
            }
            String[] lines = text.substring(0, headerEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                throw new AssertionError("Chunked responses are not parsed here: " + text);
            }
            return new RawResponse(status, headers, text.substring(headerEnd + 4));
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
