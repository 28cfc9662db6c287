package io.tokenmonitor.processor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The error handler on a bare Jetty server whose only handler calls {@code sendError}. Every malformed request
 * tried against the API reached only {@code badMessageError}, because Javalin writes the errors of parsed requests.
 */
class JsonErrorHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_REASON = "reason with secret-token-value";

    private Server server;
    private String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request baseRequest, HttpServletRequest request,
                    HttpServletResponse response) throws IOException {
                int status = Integer.parseInt(target.substring(1));
                response.sendError(status, SECRET_REASON);
            }
        });
        server.setErrorHandler(new JsonErrorHandler(JSON));
        server.start();
        baseUrl = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void sendErrorWritesJsonForEveryMethod() throws Exception {
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            for (int status : new int[] {400, 500, 503}) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + status))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Accept", "text/html")
                    .build();

                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

                String label = method + " " + status;
                assertEquals(status, response.statusCode(), label);
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                assertTrue(contentType.startsWith("application/json"), label + ": " + contentType);
                JsonNode body = JSON.readTree(response.body());
                assertEquals(status, body.path("status").asInt(), label + ": " + response.body());
                assertFalse(body.path("error").asText().isBlank(), label + ": " + response.body());
                assertFalse(response.body().contains("secret-token-value"), label + ": " + response.body());
            }
        }
    }
}
