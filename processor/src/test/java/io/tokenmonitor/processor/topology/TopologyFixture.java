package io.tokenmonitor.processor.topology;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.metrics.ProcessingCounters;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.schema.UserPlan;
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
    public final ProcessingCounters counters = new ProcessingCounters();
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, byte[]> requests;
    public final TestInputTopic<String, byte[]> plans;
    public final TestInputTopic<String, byte[]> resets;
    public final TestOutputTopic<String, TokenUsage> usage;
    public final TestOutputTopic<String, UsagePeriod> periods;
    public final TestOutputTopic<String, UsageAlert> alerts;
    public final TestOutputTopic<String, byte[]> deadLetters;
    public final AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(registry, TokenRequest.class);

    /** Wall-clock time of the driver unless a test sets another: later than every event of the tests. */
    public static final Instant WALL_CLOCK = Instant.parse("2030-01-01T00:00:00Z");

    public TopologyFixture(long monthlyLimit, Path stateDir) {
        this(ProcessorConfig.defaults().withMonthlyLimit(monthlyLimit), stateDir, WALL_CLOCK);
    }

    public TopologyFixture(ProcessorConfig baseConfig, Path stateDir, Instant wallClock) {
        ProcessorConfig config = baseConfig
            .withStateDir(stateDir)
            .withApplicationId("topology-test");
        driver = new TopologyTestDriver(new TokenMonitorTopology(config, registry, rejections, counters).build(),
            config.streamsProperties(), wallClock);

        requests = driver.createInputTopic(Topics.TOKEN_REQUESTS.name(),
            Serdes.String().serializer(), Serdes.ByteArray().serializer());
        plans = driver.createInputTopic(Topics.USER_PLANS.name(),
            Serdes.String().serializer(), Serdes.ByteArray().serializer());
        resets = driver.createInputTopic(Topics.USAGE_RESETS.name(),
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

    /** Sends a plan keyed by its user id, with its update time as the record timestamp. */
    public void send(UserPlan plan) {
        byte[] value = new AvroSerde<>(registry, UserPlan.class).serialize(Topics.USER_PLANS.name(), plan);
        plans.pipeInput(plan.getUserId(), value, plan.getUpdatedAt());
    }

    /** Sends a reset keyed by its user id, with its request time as the record timestamp. */
    public void send(UsageReset reset) {
        byte[] value = new AvroSerde<>(registry, UsageReset.class).serialize(Topics.USAGE_RESETS.name(), reset);
        resets.pipeInput(reset.getUserId(), value, reset.getRequestedAt());
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

            @Override
            public ReadOnlyKeyValueStore<String, PlanState> plans() {
                return driver.getKeyValueStore(TokenMonitorTopology.USER_PLANS_STORE);
            }

            @Override
            public ReadOnlyKeyValueStore<String, UsageAlert> alerts() {
                return driver.getKeyValueStore(TokenMonitorTopology.USAGE_ALERTS_STORE);
            }
        };
    }

    @Override
    public void close() {
        driver.close();
    }
}
