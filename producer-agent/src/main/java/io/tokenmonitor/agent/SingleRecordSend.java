package io.tokenmonitor.agent;

import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.topics.Topic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a command that writes one record: sends it with an idempotent producer that waits for all in-sync
 * replicas, waits for the acknowledgement, then prints the record as one JSON line on stdout. Where the
 * record went, and any error, goes to stderr.
 */
public final class SingleRecordSend {

    /** How long the producer waits for topic metadata before the send fails. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(30);

    /** How long the producer retries a send before reporting it failed. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    /** Time limit for one request to a broker; the delivery timeout must be at least this long. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** Time limit for the acknowledgement; later than the producer's own limits, so it only guards a hang. */
    static final Duration ACK_TIMEOUT = MAX_BLOCK.plus(DELIVERY_TIMEOUT).plusSeconds(10);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private SingleRecordSend() {
    }

    /**
     * Returns the producer settings: idempotent with acks from all in-sync replicas, so a retried send is
     * written once, and no linger because there is one record. The timeouts make a command against an
     * unreachable cluster fail within about a minute.
     */
    public static Properties producerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "token-monitor-agent");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK.toMillis()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(REQUEST_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
        return properties;
    }

    /**
     * Sends the record keyed by {@code key} to the topic and waits for the acknowledgement.
     *
     * @param description what the record is, for messages, for example "plan of user 'alice'"
     * @return {@link AgentCommand#EXIT_OK} once the record is acknowledged, else {@link AgentCommand#EXIT_FAILURE}
     * @throws ParameterException if the schema registry URL is invalid
     */
    public static <V extends SpecificRecord> int execute(CommandSpec spec, AgentClients clients,
                                                         ConnectionOptions connection, Topic<V> topic, String key,
                                                         V value, String description) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SchemaRegistryClient registry = registry(spec, clients, connection);

        Producer<String, V> producer;
        try {
            producer = clients.producer(topic,
                connection.producerProperties(producerProperties(connection.bootstrapServers())), registry);
        } catch (KafkaException e) {
            return fail(err, "Failed to create the Kafka producer for " + connection.bootstrapServers() + ": "
                + e.getMessage());
        }

        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic.name(), key, value))
                .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            err.println("Sent the " + description + " to " + topic.name() + " partition " + metadata.partition()
                + " at offset " + metadata.offset() + ".");
            err.flush();
            out.println(RecordJson.toLine(value));
            out.flush();
            return AgentCommand.EXIT_OK;
        } catch (KafkaException | SchemaRegistryException e) {
            // Thrown by send itself, for example when the schema registry cannot be reached.
            return fail(err, "Failed to send the " + description + " to " + topic.name() + ": " + e.getMessage());
        } catch (ExecutionException e) {
            return fail(err, "Failed to send the " + description + " to " + topic.name() + ": " + e.getCause());
        } catch (TimeoutException e) {
            return fail(err, "Timed out after " + ACK_TIMEOUT.toSeconds() + " s waiting for the acknowledgement of the "
                + description + " on " + topic.name() + "; the record may or may not have been written.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "Interrupted while waiting for the acknowledgement of the " + description
                + "; the record may or may not have been written.");
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    private static SchemaRegistryClient registry(CommandSpec spec, AgentClients clients,
                                                 ConnectionOptions connection) {
        try {
            return clients.registry(connection.schemaRegistryUrl());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --schema-registry-url '"
                + connection.schemaRegistryUrl() + "': " + e.getMessage());
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return AgentCommand.EXIT_FAILURE;
    }
}
