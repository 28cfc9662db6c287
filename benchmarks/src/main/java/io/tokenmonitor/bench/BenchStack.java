package io.tokenmonitor.bench;

import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The in-process broker (KRaft, on a free port of 127.0.0.1) and an in-memory Schema Registry, with the product's
 * topics created. Closing it stops both and deletes the broker's data directory.
 */
public final class BenchStack implements AutoCloseable {

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BenchStack(Path dataDirectory, EmbeddedKafkaBroker broker, SchemaRegistryServer registry) {
        this.dataDirectory = dataDirectory;
        this.broker = broker;
        this.registry = registry;
    }

    /** Starts a broker whose product topics have {@code partitions} partitions each, and a registry. */
    public static BenchStack start(int partitions) {
        Path dataDirectory = ExitCleanup.temporaryDirectory("token-monitor-bench-kafka-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
            .port(0)
            .dataDirectory(dataDirectory)
            .defaultPartitions(partitions)
            .build()
            .start();
        SchemaRegistryServer registry = null;
        try {
            TopicSetup.createProductTopics(broker.bootstrapServers(), partitions, (short) 1, TOPIC_TIMEOUT);
            registry = new SchemaRegistryServer(SchemaRegistryServer.DEFAULT_HOST, 0).start();
            BenchStack stack = new BenchStack(dataDirectory, broker, registry);
            ExitCleanup.register(stack::close);
            return stack;
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            broker.close();
            deleteTree(dataDirectory);
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** Returns the broker's data directory, whose size shows what the topics take on disk. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.close();
        } finally {
            broker.close();
            deleteTree(dataDirectory);
        }
    }

    /** Deletes a directory and everything in it; used for broker data and state directories. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete " + root, e);
        }
    }

    /** Returns the total size in bytes of the regular files under {@code root}. */
    public static long sizeOnDisk(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to measure " + root, e);
        }
    }
}
