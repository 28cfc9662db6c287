package io.tokenmonitor.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code token-monitor demo} in a child JVM with this test's classpath, stopped with SIGTERM like Ctrl-C.
 * The admin and user tokens go in through the environment variables TOKEN_MONITOR_ADMIN_TOKEN and
 * TOKEN_MONITOR_USER_TOKENS. The addresses come from the welcome text the demo prints once it runs.
 */
final class DemoProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The scheme, host and port of the "HTTP API" line, whatever path the demo prints after them. */
    private static final Pattern HTTP_API = Pattern.compile("HTTP API\\s+(http://[^/\\s]+)", Pattern.MULTILINE);
    private static final Pattern BROKER = Pattern.compile("Kafka broker\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern REGISTRY = Pattern.compile("Schema Registry\\s+(http://\\S+)$", Pattern.MULTILINE);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private String httpUrl;
    private String bootstrapServers;
    private String registryUrl;

    private DemoProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the demo and returns once it has printed its addresses; throws with its output otherwise. */
    static DemoProcess start(Path workDir, List<String> arguments, String adminToken, String userTokens)
        throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TokenMonitor.class.getName()));
        command.addAll(arguments);
        Path stdout = workDir.resolve("demo-stdout.txt");
        Path stderr = workDir.resolve("demo-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        builder.environment().put("TOKEN_MONITOR_ADMIN_TOKEN", adminToken);
        builder.environment().put("TOKEN_MONITOR_USER_TOKENS", userTokens);
        DemoProcess demo = new DemoProcess(builder.start(), stdout, stderr);
        try {
            demo.awaitWelcome();
        } catch (IOException | InterruptedException | RuntimeException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    private void awaitWelcome() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String output = Files.readString(stdout, StandardCharsets.UTF_8);
            Matcher http = HTTP_API.matcher(output);
            Matcher broker = BROKER.matcher(output);
            Matcher registry = REGISTRY.matcher(output);
            if (http.find() && broker.find() && registry.find()) {
                httpUrl = http.group(1);
                bootstrapServers = broker.group(1);
                registryUrl = registry.group(1);
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The demo exited with code " + process.exitValue()
                    + " before it started. Output:\n" + output + "\nErrors:\n" + errorTail());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The demo did not print its addresses within " + START_TIMEOUT
            + ". Errors:\n" + errorTail());
    }

    private String errorTail() throws IOException {
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        return errors.length() > 4000 ? errors.substring(errors.length() - 4000) : errors;
    }

    /** The HTTP API's base URL without a trailing slash, such as http://127.0.0.1:41234. */
    String httpUrl() {
        return httpUrl;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String registryUrl() {
        return registryUrl;
    }

    /** Returns what the demo has written to stderr so far, its log included. */
    String errors() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Sends SIGTERM and returns the exit code once the demo has exited.
     *
     * @throws IllegalStateException if it has not exited within 30 seconds; {@link #close()} then kills it
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("The demo did not exit within " + STOP_TIMEOUT + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
