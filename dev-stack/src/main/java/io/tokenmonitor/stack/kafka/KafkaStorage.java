package io.tokenmonitor.stack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats the KRaft log directory of the embedded broker, the step that {@code kafka-storage.sh format} does
 * before a new node first starts.
 */
final class KafkaStorage {

    /** The file that marks a formatted log directory and stores its cluster id and node id. */
    static final String META_PROPERTIES = "meta.properties";

    private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);

    private KafkaStorage() {
    }

    /**
     * Returns the cluster id stored in {@code logDirectory}, formatting the directory with a new random cluster id
     * first when it contains no {@code meta.properties}.
     *
     * @param logDirectory the broker's only log directory, which is also its metadata log directory
     * @param brokerProperties the complete broker configuration, as the broker will get it
     * @throws IllegalStateException when formatting fails or the stored {@code meta.properties} has no cluster id
     */
    static String formatIfNeeded(Path logDirectory, Map<String, String> brokerProperties) throws IOException {
        Path metaProperties = logDirectory.resolve(META_PROPERTIES);
        if (Files.exists(metaProperties)) {
            return readClusterId(metaProperties);
        }

        String clusterId = Uuid.randomUuid().toString();
        Path configFile = Files.createTempFile("token-monitor-kafka-", ".properties");
        try {
            writeProperties(configFile, brokerProperties);
            runFormat(clusterId, configFile, logDirectory);
        } finally {
            Files.deleteIfExists(configFile);
        }
        return clusterId;
    }

    /** Deletes a directory and everything in it, if the directory exists. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void runFormat(String clusterId, Path configFile, Path logDirectory) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] arguments = {"format", "--cluster-id", clusterId, "--config", configFile.toString()};
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(arguments, printStream);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Formatting the Kafka log directory " + logDirectory + " failed: "
                + e.getMessage() + ". Delete the directory or choose another one.", e);
        }

        String toolOutput = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka log directory " + logDirectory
                + " failed with exit code " + exitCode + ": " + toolOutput);
        }
        log.debug("Formatted {} with cluster id {}: {}", logDirectory, clusterId, toolOutput);
    }

    private static String readClusterId(Path metaProperties) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(metaProperties + " has no cluster.id. Delete the directory to start with"
                + " an empty broker, or restore the file.");
        }
        return clusterId;
    }

    private static void writeProperties(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "Configuration of the embedded Kafka broker, for formatting its storage");
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the broker configuration to " + file + " failed", e);
        }
    }
}
