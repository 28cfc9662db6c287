package io.tokenmonitor.bench.scale;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.bench.Preload;
import io.tokenmonitor.bench.RequestCorpus;
import io.tokenmonitor.bench.Result;
import io.tokenmonitor.bench.Samples;
import io.tokenmonitor.schema.TokenRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./benchmark scale}: state size, memory and restart time of one processor with many distinct users in
 * one billing period. The requests carry reported token counts and no texts, so that a million of them load in
 * seconds. The processor runs in a child JVM with its own heap limit and RocksDB bounds.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Measures state store size, heap, resident memory and restart time of one processor instance "
        + "with many distinct users.")
public final class ScaleBenchmark implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "1000000",
        description = "Distinct users, one request each (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--partitions", defaultValue = "6",
        description = "Partitions of each product topic (default: ${DEFAULT-VALUE}, as the topics command).")
    int partitions;

    @Option(names = "--heap", defaultValue = "512m",
        description = "Maximum heap of the processor's JVM, as -Xmx takes it (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--rocksdb-block-cache", paramLabel = "BYTES", defaultValue = "268435456",
        description = "The processor's --rocksdb-block-cache; 0 with --rocksdb-write-buffer 0 runs it with "
            + "Kafka Streams' RocksDB defaults (default: ${DEFAULT-VALUE}).")
    long blockCacheBytes;

    @Option(names = "--rocksdb-write-buffer", paramLabel = "BYTES", defaultValue = "67108864",
        description = "The processor's --rocksdb-write-buffer (default: ${DEFAULT-VALUE}).")
    long writeBufferBytes;

    @Option(names = "--sample-users", defaultValue = "200",
        description = "Random users, plus the first and the last, whose usage must be returned after the restart "
            + "(default: ${DEFAULT-VALUE}).")
    int sampleUsers;

    @Option(names = "--runs", defaultValue = "3",
        description = "Measurements, each with a new application id and state directory; the median is printed "
            + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Folder of the shared request files (default: TOKEN_MONITOR_REQUEST_DATA or "
            + "shared/data/llm-requests above the working directory).")
    Path dataFolder;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || runs < 1 || partitions < 1) {
            throw new IllegalArgumentException("--users, --runs and --partitions must be at least 1");
        }
        RequestCorpus corpus = RequestCorpus.load(dataFolder);
        List<Map<String, Object>> measurements = new ArrayList<>();
        try (BenchStack stack = BenchStack.start(partitions)) {
            Duration preload = preload(stack, corpus);
            System.out.printf("Preloaded %,d requests of %,d users in %.1f s%n", (long) users, (long) users,
                preload.toMillis() / 1000.0);
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> measurement = new ScaleRun(stack, settings(stack, run), users,
                    sampleUsers(run)).measure();
                measurement.put("preloadSeconds", preload.toMillis() / 1000.0);
                System.out.println("Run " + run + ": " + measurement);
                measurements.add(measurement);
            }
        }
        result(measurements).print(System.out);
        return 0;
    }

    /** Writes one request per user, with reported counts and no texts, spread over the last 30 seconds. */
    private Duration preload(BenchStack stack, RequestCorpus corpus) throws InterruptedException {
        Instant base = Instant.now().minusSeconds(30);
        long stepMicros = Math.max(1, 20_000_000L / users);
        return Preload.requests(stack, users,
            i -> withReportedCounts(corpus.request(i, users, base.plusNanos(i * stepMicros * 1000)), i));
    }

    private static TokenRequest withReportedCounts(TokenRequest request, long index) {
        long prompt = 100 + index % 900;
        long completion = 50 + index % 450;
        return TokenRequest.newBuilder(request)
            .setPromptText(null)
            .setCompletionText(null)
            .setPromptProfile(null)
            .setCompletionProfile(null)
            .setReportedPromptTokens(prompt)
            .setReportedCompletionTokens(completion)
            .setReportedTotalTokens(prompt + completion)
            .build();
    }

    private ProcessorChild.Settings settings(BenchStack stack, int run) throws java.io.IOException {
        Path stateDir = ExitCleanup.temporaryDirectory("token-monitor-bench-scale-state-");
        String applicationId = "bench-scale-" + run + "-" + Long.toHexString(System.nanoTime());
        return new ProcessorChild.Settings(stack.bootstrapServers(), stack.registryUrl(), applicationId, stateDir,
            heap, blockCacheBytes, writeBufferBytes, "bench-scale-admin-" + Long.toHexString(new Random().nextLong()));
    }

    private List<String> sampleUsers(int run) {
        Random random = new Random(run);
        List<String> sample = new ArrayList<>();
        sample.add(RequestCorpus.userId(0, users));
        sample.add(RequestCorpus.userId(users - 1, users));
        for (int i = 0; i < sampleUsers; i++) {
            sample.add(RequestCorpus.userId(random.nextInt(users), users));
        }
        return sample;
    }

    private Result result(List<Map<String, Object>> measurements) {
        Result result = new Result("scale");
        result.put("users", users);
        result.put("partitions", partitions);
        result.put("processorHeapMax", heap);
        result.put("rocksDbBlockCacheBytes", blockCacheBytes);
        result.put("rocksDbWriteBufferBytes", writeBufferBytes);
        result.put("runs", measurements.size());
        Map<String, Object> first = measurements.get(0);
        for (String name : first.keySet()) {
            if (first.get(name) instanceof Number) {
                List<Double> values = new ArrayList<>();
                measurements.forEach(measurement -> values.add(((Number) measurement.get(name)).doubleValue()));
                result.put(name, Samples.median(values));
            } else {
                result.put(name, first.get(name));
            }
        }
        Map<String, Object> perRun = new LinkedHashMap<>();
        for (int i = 0; i < measurements.size(); i++) {
            perRun.put("run" + (i + 1), measurements.get(i));
        }
        result.put("perRun", perRun);
        return result;
    }
}
