package io.tokenmonitor.bench.latency;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.bench.Preload;
import io.tokenmonitor.bench.RequestCorpus;
import io.tokenmonitor.bench.Result;
import io.tokenmonitor.bench.Samples;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.topics.Topics;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends requests at a fixed rate to the full processor (exactly-once, in this JVM) and measures the time from
 * each send to the moment a read_committed reader sees the request's token-usage record and the alerts it raised.
 */
@Command(name = "latency",
    mixinStandardHelpOptions = true,
    description = "Latency from produce to the token-usage record and to the alert, read with read_committed, "
        + "at a fixed request rate.")
public final class LatencyBenchmark implements Callable<Integer> {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Time the readers keep reading after the last token-usage record arrived. Alerts are written in the same
     * transaction as the token-usage records, so they are readable by then, and this only covers the fetch.
     */
    private static final Duration ALERT_GRACE = Duration.ofSeconds(1);

    @Option(names = "--rate", description = "Requests sent per second, scheduled by absolute time (default: 2000).")
    int rate = 2000;

    @Option(names = "--duration", description = "Length of each measured run, ISO-8601 (default: PT60S).")
    Duration duration = Duration.ofSeconds(60);

    /**
     * Default warm-up. After a 10 s warm-up on a 2-core machine, the first 60 s run had a p99 of 325 ms against 180
     * and 111 ms in the next two. During that first run the heap was still growing and G1 young pauses reached 70 ms.
     */
    @Option(names = "--warm-up",
        description = "Length of the unmeasured run before the first one, ISO-8601 (default: PT20S).")
    Duration warmup = Duration.ofSeconds(20);

    @Option(names = "--users", description = "Distinct users the requests are spread over (default: 100000).")
    int users = 100_000;

    @Option(names = "--monthly-limit",
        description = "Monthly token limit of the default plan, in tokens. Alerts are raised at 50, 80, 90 and 100 "
            + "percent of it, so a small limit makes many requests raise alerts (default: 1500).")
    long monthlyLimit = 1500;

    @Option(names = "--partitions", description = "Partitions of each product topic (default: 2).")
    int partitions = 2;

    @Option(names = "--runs",
        description = "Measured runs on the same processor, whose medians are printed (default: 3).")
    int runs = 3;

    @Option(names = "--data", description = "Folder of the request files (default: $"
        + RequestCorpus.DATA_ENV + ", else shared/data/llm-requests above the working directory).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || users < 1 || runs < 1 || partitions < 1 || monthlyLimit < 1) {
            throw new IllegalArgumentException("--rate, --users, --runs, --partitions and --monthly-limit must be "
                + "at least 1, got " + rate + ", " + users + ", " + runs + ", " + partitions + " and " + monthlyLimit);
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive and --warm-up not negative, got "
                + duration + " and " + warmup);
        }
        RequestCorpus corpus = RequestCorpus.load(data);
        List<RunFigures> measured = new ArrayList<>();
        ProcessorConfig config;

        try (BenchStack stack = BenchStack.start(partitions)) {
            Path stateDir = ExitCleanup.temporaryDirectory("token-monitor-bench-latency-state-");
            config = ProcessorConfig.defaults()
                .withBootstrapServers(stack.bootstrapServers())
                .withSchemaRegistryUrl(stack.registryUrl())
                .withHttpPort(0)
                .withStateDir(stateDir)
                .withApplicationId("bench-latency-" + System.nanoTime())
                .withMonthlyLimit(monthlyLimit);
            try (TokenMonitorProcessor processor = TokenMonitorProcessor.start(config,
                    new RestSchemaRegistryClient(stack.registryUrl()), ApiTokens.of(ApiTokens.generate(), Map.of()));
                 Producer<String, TokenRequest> producer = Preload.requestProducer(stack, producerProperties(stack))) {
                processor.awaitRunning(STARTUP_TIMEOUT);
                long firstIndex = 0;

                RunFigures warm = measure(stack, processor, producer, corpus, "warmup-", firstIndex, warmup);
                System.out.println("warm-up: " + warm.describe());
                firstIndex += warm.sent();

                for (int run = 1; run <= runs; run++) {
                    RunFigures figures = measure(stack, processor, producer, corpus, "run" + run + "-", firstIndex,
                        duration);
                    System.out.println("run " + run + ": " + figures.describe());
                    measured.add(figures);
                    firstIndex += figures.sent();
                }
            } finally {
                BenchStack.deleteTree(stateDir);
            }
        }

        Result result = new Result("latency")
            .put("runs", runs)
            .put("commitIntervalMs", config.commitInterval().toMillis())
            .put("processingGuarantee", "exactly_once_v2")
            .put("readerFetchMaxWaitMs", LatencyReader.FETCH_MAX_WAIT_MS)
            .put("producerLingerMs", 0)
            .put("rateTarget", rate)
            .put("durationSeconds", duration.toSeconds())
            .put("users", users)
            .put("monthlyLimitTokens", monthlyLimit)
            .put("partitions", partitions);
        putMedian(result, measured, "achievedEventsPerSecond", RunFigures::achievedRate);
        putMedianCount(result, measured, "usageSamples", figures -> (double) figures.usage().count());
        putMedian(result, measured, "usageP50Ms", figures -> figures.usage().percentileMs(50));
        putMedian(result, measured, "usageP99Ms", figures -> figures.usage().percentileMs(99));
        putMedian(result, measured, "usageMaxMs", figures -> figures.usage().maxMs());
        putMedianCount(result, measured, "alertSamples", figures -> (double) figures.alerts().count());
        putMedianCount(result, measured, "alertingRequests", figures -> (double) figures.alertingRequests());
        putMedian(result, measured, "alertP50Ms", figures -> percentileOrNaN(figures.alerts(), 50));
        putMedian(result, measured, "alertP99Ms", figures -> percentileOrNaN(figures.alerts(), 99));
        putMedian(result, measured, "alertMaxMs", figures -> percentileOrNaN(figures.alerts(), 100));
        putMedian(result, measured, "commitLatencyAvgMs", RunFigures::commitLatencyAvgMs);
        putMedian(result, measured, "commitLatencyMaxMs", RunFigures::commitLatencyMaxMs);
        putMedianCount(result, measured, "gcCollectionTimeMs", figures -> (double) figures.gcMs());
        result.print(System.out);
        return 0;
    }

    /**
     * Returns request producer settings that send each request at once ({@code linger.ms=0}), so the measured
     * latency contains no batching delay of the sender.
     */
    private static Properties producerProperties(BenchStack stack) {
        Properties properties = Preload.producerProperties(stack.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return properties;
    }

    /**
     * Runs one measurement: starts the readers at the end of the output topics, sends {@code rate} requests a
     * second for {@code length} to users prefixed with {@code userPrefix}, then waits for their records.
     */
    private RunFigures measure(BenchStack stack, TokenMonitorProcessor processor,
                               Producer<String, TokenRequest> producer, RequestCorpus corpus, String userPrefix,
                               long firstIndex, Duration length) throws Exception {
        ArrivalMatcher matcher = new ArrivalMatcher();
        long count = Math.max(1, rate * length.toMillis() / 1000);
        long gcBefore = gcMillis();
        double achievedRate;

        try (LatencyReader<?> usageReader = LatencyReader.start(stack, Topics.TOKEN_USAGE,
                 (usage, nanos) -> matcher.usageSeen(usage.getRequestId().toString(), nanos));
             LatencyReader<?> alertReader = LatencyReader.start(stack, Topics.USAGE_ALERTS, matcher::alertSeen)) {
            achievedRate = send(producer, corpus, matcher, userPrefix, firstIndex, count);

            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (matcher.usageMatched() < count && System.nanoTime() < deadline) {
                usageReader.throwIfFailed();
                Thread.sleep(20);
            }
            if (matcher.usageMatched() < count) {
                throw new TimeoutException("Only " + matcher.usageMatched() + " of " + count
                    + " token-usage records arrived within " + DRAIN_TIMEOUT);
            }
            Thread.sleep(ALERT_GRACE.toMillis());
            usageReader.throwIfFailed();
            alertReader.throwIfFailed();
        }

        return new RunFigures(count, achievedRate, matcher.usageSamples(), matcher.alertSamples(),
            matcher.alertingRequests(), matcher.alertsUnmatched(), streamsMetric(processor, "commit-latency-avg"),
            streamsMetric(processor, "commit-latency-max"), gcMillis() - gcBefore);
    }

    /**
     * Sends {@code count} requests, request {@code i} at {@code start + i / rate} so that a slow send is made up by
     * the next ones rather than lowering the rate. Returns the achieved rate in requests per second.
     */
    private double send(Producer<String, TokenRequest> producer, RequestCorpus corpus, ArrivalMatcher matcher,
                        String userPrefix, long firstIndex, long count) {
        AtomicReference<Exception> firstError = new AtomicReference<>();
        AtomicLong failures = new AtomicLong();
        double periodNanos = 1e9 / rate;
        long start = System.nanoTime();

        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * periodNanos);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long index = firstIndex + i;
            TokenRequest template = corpus.request(index, users, Instant.now());
            TokenRequest request = TokenRequest.newBuilder(template)
                .setUserId(userPrefix + RequestCorpus.userId(index, users))
                .build();
            matcher.sent(request.getRequestId().toString(), System.nanoTime());
            producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), request.getUserId().toString(), request),
                (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                });
        }
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        producer.flush();
        if (firstError.get() != null) {
            throw new IllegalStateException(failures.get() + " of " + count + " sends failed", firstError.get());
        }
        return count / elapsedSeconds;
    }

    /** Returns a stream-thread metric in milliseconds, the maximum over the stream threads, or NaN if absent. */
    private static double streamsMetric(TokenMonitorProcessor processor, String name) {
        double value = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> entry : processor.streams().metrics().entrySet()) {
            MetricName metricName = entry.getKey();
            if (metricName.name().equals(name) && metricName.group().equals("stream-thread-metrics")) {
                Object metricValue = entry.getValue().metricValue();
                if (metricValue instanceof Double number && !number.isNaN()) {
                    value = Double.isNaN(value) ? number : Math.max(value, number);
                }
            }
        }
        return value;
    }

    /** Returns the total time this JVM's collectors have spent in collections since it started. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, collector.getCollectionTime());
        }
        return total;
    }

    private static double percentileOrNaN(Samples samples, double percentile) {
        return samples.count() == 0 ? Double.NaN : samples.percentileMs(percentile);
    }

    private static void putMedian(Result result, List<RunFigures> runs, String name,
                                  Function<RunFigures, Double> figure) {
        List<Double> values = new ArrayList<>();
        for (RunFigures run : runs) {
            values.add(figure.apply(run));
        }
        result.put(name, Samples.median(values));
    }

    /** Puts the median of a count, rounded to a whole number. */
    private static void putMedianCount(Result result, List<RunFigures> runs, String name,
                                       Function<RunFigures, Double> figure) {
        List<Double> values = new ArrayList<>();
        for (RunFigures run : runs) {
            values.add(figure.apply(run));
        }
        result.put(name, Math.round(Samples.median(values)));
    }

    /** The figures of one measured run. */
    record RunFigures(long sent, double achievedRate, Samples usage, Samples alerts, int alertingRequests,
                      long alertsUnmatched, double commitLatencyAvgMs, double commitLatencyMaxMs, long gcMs) {

        String describe() {
            return String.format("sent %,d at %,.1f/s; token-usage n=%,d p50 %.1f ms p99 %.1f ms max %.1f ms; "
                    + "alerts n=%,d from %,d requests (%,d unmatched) p50 %.1f ms p99 %.1f ms max %.1f ms; "
                    + "commit latency avg %.1f ms max %.1f ms; GC %,d ms",
                sent, achievedRate, usage.count(), percentileOrNaN(usage, 50), percentileOrNaN(usage, 99),
                percentileOrNaN(usage, 100), alerts.count(), alertingRequests, alertsUnmatched,
                percentileOrNaN(alerts, 50), percentileOrNaN(alerts, 99), percentileOrNaN(alerts, 100),
                commitLatencyAvgMs, commitLatencyMaxMs, gcMs);
        }
    }
}
