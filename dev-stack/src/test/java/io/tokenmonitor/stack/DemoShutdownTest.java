package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code token-monitor demo} in a child JVM on ephemeral ports, stopped with SIGTERM while its agent sends: it
 * closes the processor, the agent, the registry and the broker in that order, deletes its state and exits with 0.
 */
@Timeout(240)
class DemoShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern STATE_DIR = Pattern.compile("state dir (\\S+),");
    /** The INFO lines of an orderly stop, in the order they must appear. */
    private static final List<String> SHUTDOWN_STEPS = List.of(
        "Received SIGTERM; shutting down",
        "Shutdown: closing processor",
        "HTTP API stopped",
        "Closing Kafka Streams",
        "Kafka Streams closed",
        "Shutdown: closing agent",
        "Agent stopped",
        "Shutdown: closing Schema Registry and Kafka broker",
        "Schema Registry server at",
        "Kafka broker on",
        "Shutdown: closing demo state directory",
        "Shutdown complete");

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldStopInOrderOnSigterm() throws Exception {
        List<String> arguments = List.of("demo", "--http-port", "0", "--kafka-port", "0", "--registry-port", "0",
            "--users", "5", "--rate", "50");
        String adminToken = ApiTokens.generate();
        try (DemoProcess demo = DemoProcess.start(workDir, arguments, adminToken, "user-1=" + ApiTokens.generate())) {
            awaitCountedRequests(demo.httpUrl(), adminToken);

            int exitCode = demo.stop();

            String log = demo.errors();
            assertEquals(0, exitCode, tail(log));
            int from = 0;
            for (String step : SHUTDOWN_STEPS) {
                int at = log.indexOf(step, from);
                assertTrue(at >= 0, "missing, or out of order: '" + step + "' in\n" + tail(log));
                from = at + step.length();
            }
            Matcher stateDir = STATE_DIR.matcher(log);
            assertTrue(stateDir.find(), "the start-up line names the state directory");
            assertTrue(Files.notExists(Path.of(stateDir.group(1))), "the demo deletes its state directory");
        }
    }

    /** Waits until the processor has counted some of the agent's requests for user-1. */
    private void awaitCountedRequests(String httpUrl, String adminToken) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/api/v1/users/user-1/usage"))
            .header("Authorization", "Bearer " + adminToken).GET().build();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && !response.body().contains("\"requests\":0,")) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "no request counted within " + WAIT + ": " + response.body());
            Thread.sleep(200);
        }
    }

    private static String tail(String text) {
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }
}
