package io.tokenmonitor.processor.topology;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The real topology in a TopologyTestDriver, with an in-memory schema registry and typed test topics.
 */
public final class TopologyFixture implements AutoCloseable {

    public final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    public final RejectionCounter rejections = new RejectionCounter();
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, byte[]> requests;
    public final TestOutputTopic<String, TokenUsage> usage;
    public final TestOutputTopic<String, UsagePeriod> periods;
    public final TestOutputTopic<String, UsageAlert> alerts;
    public final TestOutputTopic<String, byte[]> deadLetters;
    public final AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(registry, TokenRequest.class);

    public TopologyFixture(long monthlyLimit, Path stateDir) {
        ProcessorConfig config = ProcessorConfig.defaults()
            .withMonthlyLimit(monthlyLimit)
            .withStateDir(stateDir)
            .withApplicationId("topology-test");
        driver = new TopologyTestDriver(new TokenMonitorTopology(config, registry, rejections).build(),
            config.streamsProperties());

        requests = driver.createInputTopic(Topics.TOKEN_REQUESTS.name(),
            Serdes.String().serializer(), Serdes.ByteArray().serializer());
        usage = driver.createOutputTopic(Topics.TOKEN_USAGE.name(), Serdes.String().deserializer(),
            Topics.TOKEN_USAGE.valueSerde(registry).deserializer());
        periods = driver.createOutputTopic(Topics.USAGE_PERIODS.name(), Serdes.String().deserializer(),
            Topics.USAGE_PERIODS.valueSerde(registry).deserializer());
        alerts = driver.createOutputTopic(Topics.USAGE_ALERTS.name(), Serdes.String().deserializer(),
            Topics.USAGE_ALERTS.valueSerde(registry).deserializer());
        deadLetters = driver.createOutputTopic(Topics.TOKEN_REQUESTS_DLQ.name(), Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer());
    }

    /** Sends a request keyed by its user id, with its event time as the record timestamp. */
    public void send(TokenRequest request) {
        requests.pipeInput(request.getUserId(), encode(request), request.getTimestamp());
    }

    /** Sends raw key and value bytes, as a misbehaving producer would. */
    public void sendRaw(String key, byte[] value, Instant recordTime) {
        requests.pipeInput(key, value, recordTime);
    }

    public byte[] encode(TokenRequest request) {
        return requestSerde.serialize(Topics.TOKEN_REQUESTS.name(), request);
    }

    /** Returns the stores of the driver, for query tests. */
    public UsageStores stores() {
        return new UsageStores() {
            @Override
            public ReadOnlyKeyValueStore<String, UsagePeriod> periods() {
                return driver.getKeyValueStore(TokenMonitorTopology.USAGE_PERIODS_STORE);
            }

            @Override
            public ReadOnlyKeyValueStore<String, byte[]> recentRequests() {
                return driver.getKeyValueStore(TokenMonitorTopology.RECENT_REQUESTS_STORE);
            }
        };
    }

    @Override
    public void close() {
        driver.close();
    }
}
