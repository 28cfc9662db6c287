package io.tokenmonitor.bench.queries;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (4.x, closed loop: each connection sends its next request when the previous response arrives) on one
 * URL as a cross-check of the Java load generator. wrk measures the maximum rate, not a fixed one, so its
 * latencies are those of a saturated server.
 */
final class WrkCrossCheck {

    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("^\\s+99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern P50 = Pattern.compile("^\\s+50%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private WrkCrossCheck() {
    }

    /**
     * Runs wrk with two threads and {@code connections} connections, prints its output and returns its figures,
     * or a {@code wrk} entry saying why it did not run.
     */
    static Map<String, Object> run(InetSocketAddress address, String path, String adminToken, int connections,
                                   Duration duration) throws IOException, InterruptedException {
        Map<String, Object> figures = new LinkedHashMap<>();
        Path script = Files.createTempFile("token-monitor-bench-wrk-", ".lua");
        try {
            // The token stays out of the command line, where other users of the machine could read it.
            Files.writeString(script, "wrk.headers[\"Authorization\"] = \"Bearer " + adminToken + "\"\n",
                StandardCharsets.US_ASCII);
            String url = "http://" + address.getHostString() + ":" + address.getPort() + path;
            ProcessBuilder builder = new ProcessBuilder("wrk", "-t2", "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true);
            Process wrk;
            try {
                wrk = builder.start();
            } catch (IOException e) {
                System.out.println("wrk not run: " + e.getMessage() + " (install it with apt-get install wrk)");
                figures.put("wrk", "not run: " + e.getMessage());
                return figures;
            }
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
            }
            System.out.println("wrk on " + url + ":");
            System.out.print(output);
            figures.put("wrkLocalUrlRequestsPerSecond", parse(REQUESTS_PER_SECOND, output));
            figures.put("wrkLocalUrlP50Ms", milliseconds(P50, output));
            figures.put("wrkLocalUrlP99Ms", milliseconds(P99, output));
            Matcher errors = NON_2XX.matcher(output);
            figures.put("wrkNon2xxResponses", errors.find() ? Long.parseLong(errors.group(1)) : 0L);
            return figures;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static double parse(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static double milliseconds(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
