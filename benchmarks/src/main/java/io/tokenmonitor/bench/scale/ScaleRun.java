package io.tokenmonitor.bench.scale;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.bench.Preload;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One measurement of the scale benchmark. The processor processes every preloaded request from a new state
 * directory, is measured and stopped with SIGTERM, and is restarted on the same state directory. Last it starts
 * on an empty state directory, so it restores its stores from the changelog topics.
 */
final class ScaleRun {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchStack stack;
    private final ProcessorChild.Settings settings;
    private final int users;
    private final List<String> sampleUsers;

    ScaleRun(BenchStack stack, ProcessorChild.Settings settings, int users, List<String> sampleUsers) {
        this.stack = stack;
        this.settings = settings;
        this.users = users;
        this.sampleUsers = sampleUsers;
    }

    /** Runs the three starts, returns their figures and deletes the state directory. */
    Map<String, Object> measure() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Path log = ExitCleanup.temporaryFile("token-monitor-bench-scale-", ".log");
        try {
            processAll(figures, log);
            restartFromLocalState(figures, log);
            restoreFromChangelog(figures, log);
            Files.deleteIfExists(log);
        } finally {
            BenchStack.deleteTree(settings.stateDir());
        }
        return figures;
    }

    private void processAll(Map<String, Object> figures, Path log) throws Exception {
        try (ProcessorChild processor = ProcessorChild.start(settings, log)) {
            figures.put("firstStartToRunningSeconds", seconds(processor.awaitRunning(START_TIMEOUT)));
            long started = System.nanoTime();
            awaitProcessed(processor);
            double processSeconds = (System.nanoTime() - started) / 1e9;
            figures.put("processSeconds", processSeconds);
            figures.put("processedPerSecond", users / processSeconds);

            figures.put("residentMib", processor.residentBytes() / MIB);
            figures.put("heapUsedMib", processor.heapUsedBytes(false) / MIB);
            figures.put("heapLiveAfterFullGcMib", processor.heapUsedBytes(true) / MIB);
            figures.put("stopExitCode", processor.stop());
        }
        Map<String, Long> stores = storeSizes(settings.stateDir());
        long total = BenchStack.sizeOnDisk(settings.stateDir());
        stores.forEach((store, bytes) -> figures.put("store." + store + "Mib", bytes / MIB));
        figures.put("stateDirMib", total / MIB);
        figures.put("stateBytesPerUser", (double) total / users);
        long changelogBytes = changelogBytes();
        figures.put("changelogMib", changelogBytes / MIB);
        figures.put("changelogBytesPerUser", (double) changelogBytes / users);
    }

    private void restartFromLocalState(Map<String, Object> figures, Path log) throws Exception {
        try (ProcessorChild processor = ProcessorChild.start(settings, log)) {
            figures.put("restartToRunningSeconds", seconds(processor.awaitRunning(START_TIMEOUT)));
            figures.put("restartToQueryableSeconds", seconds(processor.awaitQueryable(sampleUsers, START_TIMEOUT)));
            figures.put("restartResidentMib", processor.residentBytes() / MIB);
            processor.stop();
        }
    }

    private void restoreFromChangelog(Map<String, Object> figures, Path log) throws Exception {
        BenchStack.deleteTree(settings.stateDir());
        Files.createDirectories(settings.stateDir());
        try (ProcessorChild processor = ProcessorChild.start(settings, log)) {
            double toRunning = seconds(processor.awaitRunning(START_TIMEOUT));
            figures.put("restoreToRunningSeconds", toRunning);
            figures.put("restoreToQueryableSeconds", seconds(processor.awaitQueryable(sampleUsers, START_TIMEOUT)));
            figures.put("restoreChangelogMibPerSecond", changelogBytes() / MIB / toRunning);
            figures.put("restoreResidentMib", processor.residentBytes() / MIB);
            processor.stop();
        }
    }

    /** Waits until the processor's committed offsets of the input topic reach its end offsets. */
    private void awaitProcessed(ProcessorChild processor) throws Exception {
        long end = Preload.endOffsetSum(settings.bootstrapServers(), Topics.TOKEN_REQUESTS.name());
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            settings.bootstrapServers()))) {
            while (committedInputOffsets(admin) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Processor (pid " + processor.pid() + ") did not process "
                        + users + " requests within " + PROCESS_TIMEOUT);
                }
                Thread.sleep(250);
            }
        }
    }

    private long committedInputOffsets(Admin admin)
        throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin
            .listConsumerGroupOffsets(settings.applicationId())
            .partitionsToOffsetAndMetadata()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (entry.getKey().topic().equals(Topics.TOKEN_REQUESTS.name()) && entry.getValue() != null) {
                sum += entry.getValue().offset();
            }
        }
        return sum;
    }

    /** Returns the bytes on disk of each store, summed over the tasks of the state directory. */
    private static Map<String, Long> storeSizes(Path stateDir) {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.filter(path -> path.getParent() != null && path.getParent().getFileName() != null
                    && path.getParent().getFileName().toString().equals("rocksdb") && Files.isDirectory(path))
                .forEach(store -> sizes.merge(store.getFileName().toString(), BenchStack.sizeOnDisk(store),
                    Long::sum));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to measure the stores in " + stateDir, e);
        }
        return sizes;
    }

    /**
     * Returns the bytes of this application's changelog topics in the broker's log segments. Index files are
     * left out, because the broker preallocates the active segment's indexes as sparse 10 MiB files.
     */
    private long changelogBytes() {
        String prefix = settings.applicationId() + "-";
        try (Stream<Path> files = Files.walk(stack.dataDirectory())) {
            return files.filter(path -> path.getFileName().toString().endsWith(".log")
                    && path.getParent().getFileName().toString().startsWith(prefix)
                    && path.getParent().getFileName().toString().contains("-changelog-"))
                .mapToLong(path -> path.toFile().length())
                .sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to measure the changelog topics in " + stack.dataDirectory(), e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
