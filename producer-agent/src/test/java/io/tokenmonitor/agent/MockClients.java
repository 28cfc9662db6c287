package io.tokenmonitor.agent;

import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Client factory for command tests: an in-memory registry, a MockProducer that acknowledges every send
 * at once and serializes with the topic's real serializers, and a given MockConsumer.
 */
public final class MockClients implements AgentClients {

    public final TestSchemaRegistry registry = new TestSchemaRegistry();
    public final MockConsumer<String, UsageAlert> consumer;
    public MockProducer<String, TokenRequest> producer;
    public Properties producerProperties;
    public Properties consumerProperties;

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
    public Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry) {
        consumerProperties = properties;
        return consumer;
    }
}
