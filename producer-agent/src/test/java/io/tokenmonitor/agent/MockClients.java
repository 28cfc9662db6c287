package io.tokenmonitor.agent;

import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Client factory for command tests: an in-memory registry, MockProducers that acknowledge every send at
 * once and serialize with the topic's real serializers, and a given MockConsumer. Setting
 * {@link #sendError} or {@link #ackError} makes the producers of single-record commands fail instead.
 */
public final class MockClients implements AgentClients {

    public final TestSchemaRegistry registry = new TestSchemaRegistry();
    public final MockConsumer<String, UsageAlert> consumer;
    public MockProducer<String, TokenRequest> producer;
    public Properties producerProperties;
    public Properties consumerProperties;

    /** Producers created with {@link #producer(Topic, Properties, SchemaRegistryClient)}, by topic name. */
    public final Map<String, MockProducer<String, ?>> topicProducers = new HashMap<>();

    /** When set, thrown by {@code send} of the next topic producers, as a failing serializer would. */
    public RuntimeException sendError;

    /** When set, fails the acknowledgement of every send of the next topic producers with this error. */
    public RuntimeException ackError;

    public MockClients(MockConsumer<String, UsageAlert> consumer) {
        this.consumer = consumer;
    }

    public MockClients() {
        this(null);
    }

    @Override
    public SchemaRegistryClient registry(String url) {
        return registry;
    }

    @Override
    public Producer<String, TokenRequest> producer(Properties properties, SchemaRegistryClient registry) {
        producerProperties = properties;
        producer = new MockProducer<>(true, null,
            Topics.TOKEN_REQUESTS.keySerde().serializer(),
            Topics.TOKEN_REQUESTS.valueSerde(registry).serializer());
        return producer;
    }

    @Override
    public <V> Producer<String, V> producer(Topic<V> topic, Properties properties, SchemaRegistryClient registry) {
        producerProperties = properties;
        Serializer<String> keySerializer = topic.keySerde().serializer();
        Serializer<V> valueSerializer = topic.valueSerde(registry).serializer();
        MockProducer<String, V> topicProducer = ackError == null
            ? new MockProducer<>(true, null, keySerializer, valueSerializer)
            : new FailingAckProducer<>(ackError, keySerializer, valueSerializer);
        topicProducer.sendException = sendError;
        topicProducers.put(topic.name(), topicProducer);
        return topicProducer;
    }

    /** Returns the producer created for a topic, or null if none was. */
    @SuppressWarnings("unchecked")
    public <V> MockProducer<String, V> producerOf(Topic<V> topic) {
        return (MockProducer<String, V>) topicProducers.get(topic.name());
    }

    @Override
    public Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry) {
        consumerProperties = properties;
        return consumer;
    }

    /** A MockProducer whose sends are acknowledged with an error, as when the broker rejects the record. */
    private static final class FailingAckProducer<V> extends MockProducer<String, V> {
        private final RuntimeException error;

        FailingAckProducer(RuntimeException error, Serializer<String> keySerializer, Serializer<V> valueSerializer) {
            super(false, null, keySerializer, valueSerializer);
            this.error = error;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, V> record, Callback callback) {
            Future<RecordMetadata> future = super.send(record, callback);
            errorNext(error);
            return future;
        }
    }
}
