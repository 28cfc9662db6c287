package io.tokenmonitor.stack.registry;

import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.SchemaJournal;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.registry.SubjectVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link SchemaJournal} that writes each registry change to the compacted topic {@value #TOPIC} and waits
 * until the broker has stored it on every in-sync replica ({@code acks=all}). The producer is idempotent,
 * so its own retries add no duplicates. {@link SchemasTopicLoader} reads the topic back at start.
 *
 * <p>NOTE: one registry may write to a topic at a time. Nothing fences a second registry on the same
 * topic, and the two would hand out the same ids for different schemas.
 */
final class KafkaSchemaJournal implements SchemaJournal, AutoCloseable {

    /** The topic name, the Confluent registry's default ({@code kafkastore.topic}). */
    static final String TOPIC = "_schemas";

    /** The topic's only partition. One partition keeps every change in one order. */
    static final int PARTITION = 0;

    /** Extra time for a send to report its own timeout before this class stops waiting for it. */
    private static final Duration SEND_MARGIN = Duration.ofSeconds(5);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrapServers;
    private final Duration writeTimeout;

    private KafkaSchemaJournal(KafkaProducer<byte[], byte[]> producer, String bootstrapServers,
                               Duration writeTimeout) {
        this.producer = producer;
        this.bootstrapServers = bootstrapServers;
        this.writeTimeout = writeTimeout;
    }

    /**
     * Creates the topic if it is missing, checks that it is a compacted topic with one partition, and
     * opens the producer.
     *
     * @param writeTimeout how long topic setup and each later write may take
     * @throws IllegalStateException if the topic cannot be created, or exists with other settings
     */
    static KafkaSchemaJournal open(String bootstrapServers, short replicationFactor, Duration writeTimeout) {
        SchemasTopicSetup.ensureTopic(bootstrapServers, replicationFactor, writeTimeout);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, writeTimeout.toMillis());
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-journal",
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        return new KafkaSchemaJournal(producer, bootstrapServers, writeTimeout);
    }

    @Override
    public void recordVersion(SubjectVersion version) {
        write(SchemasTopicRecords.versionKey(version.subject(), version.version()),
            SchemasTopicRecords.versionValue(version, false),
            "version " + version.version() + " of subject '" + version.subject() + "' (schema id "
                + version.id() + ")");
    }

    @Override
    public void recordVersionDeleted(SubjectVersion version) {
        write(SchemasTopicRecords.versionKey(version.subject(), version.version()),
            SchemasTopicRecords.versionValue(version, true),
            "the soft delete of version " + version.version() + " of subject '" + version.subject() + "'");
    }

    /** Writes a tombstone for the version's key, so compaction removes the version from the topic. */
    @Override
    public void recordVersionPermanentlyDeleted(String subject, int version) {
        write(SchemasTopicRecords.versionKey(subject, version), null,
            "the permanent delete of version " + version + " of subject '" + subject + "'");
    }

    @Override
    public void recordGlobalCompatibility(CompatibilityLevel level) {
        write(SchemasTopicRecords.configKey(null), SchemasTopicRecords.configValue(level),
            "the global compatibility level " + level);
    }

    @Override
    public void recordSubjectCompatibility(String subject, CompatibilityLevel level) {
        write(SchemasTopicRecords.configKey(subject), SchemasTopicRecords.configValue(level),
            "the compatibility level " + level + " of subject '" + subject + "'");
    }

    @Override
    public void recordSubjectCompatibilityDeleted(String subject) {
        write(SchemasTopicRecords.configKey(subject), null,
            "the removal of the compatibility level of subject '" + subject + "'");
    }

    /** Closes the producer. Calling it again does nothing. */
    @Override
    public void close() {
        producer.close(writeTimeout);
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    private void write(byte[] key, byte[] value, String change) {
        long waitMs = writeTimeout.plus(SEND_MARGIN).toMillis();
        try {
            producer.send(new ProducerRecord<>(TOPIC, PARTITION, key, value)).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw writeFailed(change, e.getCause());
        } catch (TimeoutException e) {
            throw writeFailed(change, e);
        } catch (KafkaException | IllegalStateException e) {
            // send() throws directly when the producer is closed or has failed for good.
            throw writeFailed(change, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw writeFailed(change, e);
        }
    }

    /** Returns the error for a failed write. The server logs it when it turns it into an HTTP 500. */
    private SchemaRegistryException writeFailed(String change, Throwable cause) {
        return new SchemaRegistryException("Storing " + change + " in topic " + TOPIC + " failed, so the registry"
            + " was not changed. Check that the Kafka broker at " + bootstrapServers + " is running, then retry."
            + " Cause: " + cause, SchemaRegistryException.INTERNAL_ERROR, cause);
    }
}
