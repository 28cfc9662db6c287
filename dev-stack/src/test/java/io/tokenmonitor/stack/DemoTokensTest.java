package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tokenmonitor.processor.config.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The demo on a real in-process broker: it generates an admin token and a token for one user, prints them
 * on stdout, accepts them, and never writes them to the log.
 */
@Timeout(240)
class DemoTokensTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern ADMIN_TOKEN = Pattern.compile("export " + ApiTokens.ADMIN_TOKEN_ENV + "=(\\S+)");
    private static final Pattern USER_TOKEN = Pattern.compile("User " + DemoCommand.DEMO_USER + " +(\\S+)");
    private static final Pattern API_URL = Pattern.compile("HTTP API +(http://127\\.0\\.0\\.1:\\d+)/api/v1/");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoPrintsGeneratedTokensButNeverLogsThem() throws Exception {
        assumeTrue(System.getenv(ApiTokens.ADMIN_TOKEN_ENV) == null
                && System.getenv(ApiTokens.USER_TOKENS_ENV) == null,
            "token environment variables are set, so the demo would not generate tokens");
        Path replayFile = SharedData.file("Meta-Llama-3-70B-Instruct.json");
        ShutdownLatch shutdown = new ShutdownLatch();
        AtomicInteger exitCode = new AtomicInteger(-1);
        String adminToken;
        String userToken;

        try (CapturedOutput output = new CapturedOutput()) {
            Thread demo = new Thread(() -> exitCode.set(new CommandLine(new DemoCommand(shutdown)).execute(
                "--kafka-port", "0", "--registry-port", "0", "--http-port", "0",
                "--replay", replayFile.toString(), "--users", "5", "--rate", "0")), "demo-under-test");
            demo.start();
            try {
                await("the demo's welcome text", () -> output.stdout().contains("Press Ctrl-C") || !demo.isAlive());
                String stdout = output.stdout();
                adminToken = group(ADMIN_TOKEN, stdout);
                userToken = group(USER_TOKEN, stdout);
                String api = group(API_URL, stdout);

                assertEquals(43, adminToken.length(), "32 random bytes in URL-safe base64");
                assertEquals(43, userToken.length(), "32 random bytes in URL-safe base64");
                assertNotEquals(adminToken, userToken);
                assertTrue(stdout.contains("curl -H \"Authorization: Bearer " + userToken + "\" " + api
                    + "/api/v1/users/user-1/usage"), stdout);
                assertTrue(stdout.contains("Dashboard        " + api + "/"), stdout);

                await("the replay to finish", () -> output.stderr().contains("Agent finished"));
                assertEquals(200, get(api, "/api/v1/users/user-1/usage", userToken));
                assertEquals(403, get(api, "/api/v1/users/user-2/usage", userToken));
                assertEquals(200, get(api, "/api/v1/users/user-2/usage", adminToken));
                assertEquals(401, get(api, "/api/v1/users/user-1/usage", null));
            } finally {
                shutdown.closeAll();
                demo.join(WAIT.toMillis());
            }

            assertEquals(0, exitCode.get());
            String log = output.stderr();
            assertTrue(log.contains("Starting processor"), "the log was not captured:\n" + log);
            assertFalse(log.contains(adminToken), "the admin token appears in the log");
            assertFalse(log.contains(userToken), "the user token appears in the log");
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), "no match for " + pattern + " in:\n" + text);
        return matcher.group(1);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private int get(String api, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
