package io.tokenmonitor.bench.scale;

import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.bench.FreePorts;
import io.tokenmonitor.bench.Machine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One processor instance ({@code token-monitor processor}) running in a child JVM on 127.0.0.1, so that its
 * heap and resident memory are measured apart from the benchmark's. Its output goes to a log file.
 */
final class ProcessorChild implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private final Process process;
    private final long startedNanos;
    private final int httpPort;
    private final String adminToken;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProcessorChild(Process process, long startedNanos, int httpPort, String adminToken, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.httpPort = httpPort;
        this.adminToken = adminToken;
        this.log = log;
    }

    /** Settings of a child processor; a block cache of 0 runs it with Kafka Streams' RocksDB defaults. */
    record Settings(String bootstrapServers, String registryUrl, String applicationId, Path stateDir, String heap,
                    long blockCacheBytes, long writeBufferBytes, String adminToken) {
    }

    /** Starts the processor with the benchmark's own class path, which contains the dev-stack launcher. */
    static ProcessorChild start(Settings settings, Path log) throws IOException {
        int httpPort = FreePorts.take(1).get(0);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + settings.heap());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.tokenmonitor.stack.TokenMonitor");
        command.add("processor");
        command.addAll(List.of("--bootstrap-servers", settings.bootstrapServers()));
        command.addAll(List.of("--schema-registry-url", settings.registryUrl()));
        command.addAll(List.of("--application-id", settings.applicationId()));
        command.addAll(List.of("--state-dir", settings.stateDir().toString()));
        command.addAll(List.of("--http-port", Integer.toString(httpPort)));
        command.addAll(List.of("--rocksdb-block-cache", Long.toString(settings.blockCacheBytes())));
        command.addAll(List.of("--rocksdb-write-buffer", Long.toString(settings.writeBufferBytes())));

        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TOKEN_MONITOR_ADMIN_TOKEN", settings.adminToken());
        long startedNanos = System.nanoTime();
        Process process = ExitCleanup.killOnExit(builder.start());
        return new ProcessorChild(process, startedNanos, httpPort, settings.adminToken(), log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code GET /health} reports Kafka Streams RUNNING.
     *
     * @return the time from process start to RUNNING
     */
    Duration awaitRunning(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            HttpResponse<String> health = get("/health");
            if (health != null && health.body().contains("\"RUNNING\"")) {
                return sinceStart();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new TimeoutException("Processor (pid " + pid() + ") not RUNNING after " + timeout + "; see " + log);
    }

    /**
     * Waits until every given user's usage is returned with status 200 and at least one request, which shows
     * that the user's totals are in a queryable store.
     *
     * @return the time from process start until the last of them was returned
     */
    Duration awaitQueryable(List<String> users, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String user : users) {
            HttpResponse<String> usage = get("/api/v1/users/" + user + "/usage");
            while (!hasRequests(usage)) {
                requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Usage of " + user + " not returned after " + timeout + ", last "
                        + "status " + (usage == null ? "none" : usage.statusCode()) + "; see " + log);
                }
                Thread.sleep(POLL.toMillis());
                usage = get("/api/v1/users/" + user + "/usage");
            }
        }
        return sinceStart();
    }

    private static boolean hasRequests(HttpResponse<String> usage) {
        return usage != null && usage.statusCode() == 200 && !usage.body().contains("\"requests\":0,");
    }

    long residentBytes() {
        return Machine.residentBytes(pid());
    }

    /**
     * Returns the heap in use in bytes, read with {@code jcmd PID GC.heap_info}. With {@code afterFullGc} it first
     * runs a full collection ({@code jcmd PID GC.run}), so only live objects remain.
     */
    long heapUsedBytes(boolean afterFullGc) throws IOException, InterruptedException {
        if (afterFullGc) {
            jcmd("GC.run");
        }
        String info = jcmd("GC.heap_info");
        Matcher matcher = HEAP_USED.matcher(info);
        if (!matcher.find()) {
            throw new IllegalStateException("No heap usage found in the output of jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(matcher.group(1)) * 1024;
    }

    /**
     * Sends SIGTERM and waits until the processor has closed Kafka Streams and exited.
     *
     * @return the exit code
     */
    int stop() throws InterruptedException, TimeoutException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Processor (pid " + pid() + ") still running " + STOP_TIMEOUT
                + " after SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** Kills the processor if it still runs, for example after a failed measurement. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Processor (pid " + pid() + ") exited with " + process.exitValue()
                + "; see " + log);
        }
    }

    /** Returns the response, or null while the HTTP API does not accept connections yet. */
    private HttpResponse<String> get(String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .header("Authorization", "Bearer " + adminToken)
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
            Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid() + " " + command + " failed: " + output);
        }
        return output;
    }
}
