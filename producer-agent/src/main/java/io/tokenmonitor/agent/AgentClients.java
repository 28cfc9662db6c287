package io.tokenmonitor.agent;

import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Factory of the registry and Kafka clients that the subcommands use. Tests pass their own to run a
 * command against mock clients; {@link #kafka()} creates real ones.
 */
public interface AgentClients {

    /** Creates a schema registry client for a registry base URL. */
    SchemaRegistryClient registry(String url);

    /** Creates a producer for the token-requests topic with the topic's key and value serializers. */
    Producer<String, TokenRequest> producer(Properties properties, SchemaRegistryClient registry);

    /** Creates a producer for any topic of the catalogue with that topic's key and value serializers. */
    <V> Producer<String, V> producer(Topic<V> topic, Properties properties, SchemaRegistryClient registry);

    /** Creates a consumer for the usage-alerts topic with the topic's key and value deserializers. */
    Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry);

    /**
     * Creates a consumer that returns keys and values as bytes, for the dead-letter topic. Without a group id
     * in {@code properties}, the caller assigns partitions itself.
     */
    default Consumer<byte[], byte[]> byteConsumer(Properties properties) {
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Returns the stop signal of a send command (simulate, replay). By default Ctrl-C raises it; a process that
     * runs the agent embedded returns a signal it raises itself, to stop the agent before its broker.
     */
    default ShutdownSignal sendStopSignal() {
        return ShutdownSignal.onCtrlC(null);
    }

    /** Returns the factory of real clients: the REST registry client, KafkaProducer and KafkaConsumer. */
    static AgentClients kafka() {
        return new AgentClients() {
            @Override
            public SchemaRegistryClient registry(String url) {
                return new RestSchemaRegistryClient(url);
            }

            @Override
            public Producer<String, TokenRequest> producer(Properties properties, SchemaRegistryClient registry) {
                return new KafkaProducer<>(properties,
                    Topics.TOKEN_REQUESTS.keySerde().serializer(),
                    Topics.TOKEN_REQUESTS.valueSerde(registry).serializer());
            }

            @Override
            public <V> Producer<String, V> producer(Topic<V> topic, Properties properties,
                                                    SchemaRegistryClient registry) {
                return new KafkaProducer<>(properties, topic.keySerde().serializer(),
                    topic.valueSerde(registry).serializer());
            }

            @Override
            public Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry) {
                return new KafkaConsumer<>(properties,
                    Topics.USAGE_ALERTS.keySerde().deserializer(),
                    Topics.USAGE_ALERTS.valueSerde(registry).deserializer());
            }
        };
    }
}
