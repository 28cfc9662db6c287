package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A test client of one processor's HTTP API on 127.0.0.1 that sends a bearer token with every request. */
final class ProcessorApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    ProcessorApi(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** Sends a GET request for {@code path} and returns the response, whatever its status. */
    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Returns the JSON body of {@code path}, asserting that the status is 200. */
    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** Polls {@code path} until its body satisfies {@code done}, and returns that body. */
    JsonNode awaitJson(String path, Predicate<JsonNode> done, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode body = getJson(path);
            if (done.test(body)) {
                return body;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(path + " did not reach the expected state within " + timeout + ": " + body);
            }
            Thread.sleep(100);
        }
    }
}
