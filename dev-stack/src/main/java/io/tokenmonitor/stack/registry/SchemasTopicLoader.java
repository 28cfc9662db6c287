package io.tokenmonitor.stack.registry;

import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.registry.SubjectVersion;
import io.tokenmonitor.stack.registry.SchemasTopicRecords.ConfigEntry;
import io.tokenmonitor.stack.registry.SchemasTopicRecords.Entry;
import io.tokenmonitor.stack.registry.SchemasTopicRecords.OtherEntry;
import io.tokenmonitor.stack.registry.SchemasTopicRecords.VersionEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topic {@value KafkaSchemaJournal#TOPIC} from the beginning to its current end and restores the
 * versions and compatibility levels it stores into a registry, with their original ids.
 *
 * <p>Like the compacted topic itself, the latest record of each key wins: a version written twice keeps
 * the later value, a value marked deleted restores a soft-deleted version, and a tombstone removes a version
 * (a permanent delete) or a subject's own level.
 */
final class SchemasTopicLoader {

    private static final Logger log = LoggerFactory.getLogger(SchemasTopicLoader.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
    /** The key type of the Confluent registry's marker records, which carry no state and are skipped silently. */
    private static final String NOOP_KEY_TYPE = "NOOP";

    /** The latest version record per subject and version number, subjects and versions in ascending order. */
    private final Map<String, TreeMap<Integer, VersionEntry>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new TreeMap<>();
    private CompatibilityLevel globalLevel;
    private final TreeSet<String> skippedKeyTypes = new TreeSet<>();
    private int recordsRead;

    private SchemasTopicLoader() {
    }

    /**
     * Restores the topic's contents into an empty registry.
     *
     * @throws IllegalStateException if reading the topic fails or takes longer than {@code timeout}, or a
     *     record is invalid or does not fit the records before it
     */
    static void load(String bootstrapServers, InMemorySchemaRegistry registry, Duration timeout) {
        long startNanos = System.nanoTime();
        SchemasTopicLoader loader = new SchemasTopicLoader();
        loader.readTopic(bootstrapServers, timeout);
        loader.restoreInto(registry);

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        List<String> subjects = registry.subjects();
        int versions = 0;
        for (String subject : subjects) {
            versions += registry.versions(subject).size();
        }
        int levels = loader.levelBySubject.size() + (loader.globalLevel == null ? 0 : 1);
        log.info("Restored {} versions under {} subjects and {} compatibility levels from {} records of topic {}"
            + " in {} ms", versions, subjects.size(), levels, loader.recordsRead, KafkaSchemaJournal.TOPIC, elapsedMs);
        if (!loader.skippedKeyTypes.isEmpty()) {
            log.warn("Skipped records of topic {} with key types {}, which this registry does not restore",
                KafkaSchemaJournal.TOPIC, loader.skippedKeyTypes);
        }
    }

    private void readTopic(String bootstrapServers, Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // With the default fetch.max.wait.ms of 500 ms, reading a few records took about half a second longer
        // in KafkaStoredRegistryTest. A short wait costs only a few more fetch requests in this loop.
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-loader",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
            ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        TopicPartition partition = new TopicPartition(KafkaSchemaJournal.TOPIC, KafkaSchemaJournal.PARTITION);

        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long endOffset = consumer.endOffsets(List.of(partition), timeout).get(partition);

            while (consumer.position(partition, remaining(deadlineNanos, timeout)) < endOffset) {
                Duration pollWait = remaining(deadlineNanos, timeout);
                if (pollWait.compareTo(MAX_POLL_WAIT) > 0) {
                    pollWait = MAX_POLL_WAIT;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollWait)) {
                    apply(record);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw readTimedOut(timeout, e);
        } catch (KafkaException e) {
            throw new IllegalStateException("Reading topic " + KafkaSchemaJournal.TOPIC + " from " + bootstrapServers
                + " failed: " + e.getMessage(), e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        recordsRead++;
        Entry entry;
        try {
            entry = SchemasTopicRecords.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            throw invalidRecord(record.offset(), e.getMessage(), e);
        }

        if (entry instanceof VersionEntry version) {
            TreeMap<Integer, VersionEntry> versions =
                versionsBySubject.computeIfAbsent(version.subject(), subject -> new TreeMap<>());
            if (version.version() == null) {
                versions.remove(version.versionNumber());
            } else {
                versions.put(version.versionNumber(), version);
            }
        } else if (entry instanceof ConfigEntry config) {
            applyConfig(config);
        } else if (entry instanceof OtherEntry other && !NOOP_KEY_TYPE.equals(other.keyType())) {
            skippedKeyTypes.add(other.keyType());
        }
    }

    private void applyConfig(ConfigEntry config) {
        if (config.subject() == null) {
            // A null global level means the default, which a new registry already has.
            globalLevel = config.level();
        } else if (config.level() == null) {
            levelBySubject.remove(config.subject());
        } else {
            levelBySubject.put(config.subject(), config.level());
        }
    }

    /** Restores every collected version, soft-deleted ones included, and every level. */
    private void restoreInto(InMemorySchemaRegistry registry) {
        for (TreeMap<Integer, VersionEntry> versions : versionsBySubject.values()) {
            for (VersionEntry entry : versions.values()) {
                try {
                    registry.restoreVersion(entry.version(), entry.deleted());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("Topic " + KafkaSchemaJournal.TOPIC + " cannot be restored: "
                        + e.getMessage() + ". Fix or delete the topic, then restart", e);
                }
            }
        }

        if (globalLevel != null) {
            registry.restoreGlobalCompatibility(globalLevel);
        }
        levelBySubject.forEach(registry::restoreSubjectCompatibility);
    }

    private static IllegalStateException invalidRecord(long offset, String reason, Throwable cause) {
        return new IllegalStateException("Invalid record at offset " + offset + " of topic "
            + KafkaSchemaJournal.TOPIC + ": " + reason + ". Fix or delete the topic, then restart", cause);
    }

    private static IllegalStateException readTimedOut(Duration timeout, Throwable cause) {
        return new IllegalStateException("Reading topic " + KafkaSchemaJournal.TOPIC + " to its end timed out after "
            + timeout.toMillis() + " ms. Check that the Kafka broker is running, or raise the timeout", cause);
    }

    private static Duration remaining(long deadlineNanos, Duration timeout) {
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            throw readTimedOut(timeout, null);
        }
        return Duration.ofNanos(remainingNanos);
    }
}
