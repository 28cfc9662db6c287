package io.tokenmonitor.processor.topology;

import io.tokenmonitor.processor.aggregation.PeriodUpdate;
import io.tokenmonitor.processor.aggregation.UsageAggregator;
import io.tokenmonitor.processor.alert.AlertRaiser;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.estimation.UsageEstimator;
import io.tokenmonitor.processor.query.RecentRequestsRecorder;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.processor.validation.RequestValidator;
import io.tokenmonitor.processor.validation.ValidatedRequest;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the one topology of the processor, used by the application, the tests and the benchmarks.
 *
 * <pre>
 * token-requests ─ validate ─┬─ rejected ─ token-requests-dlq
 *                            └─ accepted ─ estimate ─ record-recent ─┬─ token-usage
 *                                                                    └─ aggregate ─┬─ usage-periods
 *                                                                                  └─ alerts ─ usage-alerts
 * </pre>
 *
 * <p>Input is keyed by user id, so every step runs on the partition of its user and nothing is repartitioned.
 */
public final class TokenMonitorTopology {

    /**
     * Store of each user's totals per period: key {@code <period>\0<userId>}, value {@link UsagePeriod}.
     * Kept forever; its changelog is compacted.
     */
    public static final String USAGE_PERIODS_STORE = "usage-periods-store";

    /**
     * Store of each user's newest 100 requests: key {@code <userId>\0<inverted event time>\0<requestId>},
     * value a {@link TokenUsage} in the wire format of the token-usage topic.
     */
    public static final String RECENT_REQUESTS_STORE = "recent-requests-store";

    private final ProcessorConfig config;
    private final SchemaRegistryClient registry;
    private final RejectionCounter rejections;

    public TokenMonitorTopology(ProcessorConfig config, SchemaRegistryClient registry, RejectionCounter rejections) {
        this.config = config;
        this.registry = registry;
        this.rejections = rejections;
    }

    /** Builds the topology. Every processor, store and sink has an explicit name. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);

        KStream<String, ValidatedRequest> validated = builder
            .stream(Topics.TOKEN_REQUESTS.name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("token-requests-source"))
            .processValues(() -> new RequestValidator(new AvroSerde<>(registry, TokenRequest.class), rejections),
                Named.as("validate-request"));

        Map<String, KStream<String, ValidatedRequest>> branches = validated
            .split(Named.as("validation-"))
            .branch((userId, result) -> result.isAccepted(), Branched.as("accepted"))
            .defaultBranch(Branched.as("rejected"));

        addDeadLetterSink(branches.get("validation-rejected"));
        KStream<String, TokenUsage> usage = addEstimation(branches.get("validation-accepted"));
        addAggregation(usage);
        return builder.build();
    }

    private void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(USAGE_PERIODS_STORE),
            Serdes.String(),
            new AvroSerde<>(registry, UsagePeriod.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RECENT_REQUESTS_STORE),
            Serdes.String(),
            Serdes.ByteArray()));
    }

    private void addDeadLetterSink(KStream<String, ValidatedRequest> rejected) {
        rejected
            .mapValues(ValidatedRequest::originalValue, Named.as("dead-letter-original-bytes"))
            .to(Topics.TOKEN_REQUESTS_DLQ.name(),
                Produced.with(Serdes.String(), Serdes.ByteArray()).withName("token-requests-dlq-sink"));
    }

    private KStream<String, TokenUsage> addEstimation(KStream<String, ValidatedRequest> accepted) {
        UsageEstimator estimator = new UsageEstimator();
        KStream<String, TokenUsage> usage = accepted
            .mapValues(result -> estimator.estimate(result.request()), Named.as("estimate-tokens"))
            .processValues(() -> new RecentRequestsRecorder(RECENT_REQUESTS_STORE,
                    new AvroSerde<>(registry, TokenUsage.class)),
                Named.as("record-recent-requests"), RECENT_REQUESTS_STORE);

        usage.to(Topics.TOKEN_USAGE.name(),
            Produced.with(Serdes.String(), Topics.TOKEN_USAGE.valueSerde(registry)).withName("token-usage-sink"));
        return usage;
    }

    private void addAggregation(KStream<String, TokenUsage> usage) {
        KStream<String, PeriodUpdate> updates = usage.processValues(
            () -> new UsageAggregator(USAGE_PERIODS_STORE, config.monthlyLimit(), config.thresholdsPercent()),
            Named.as("aggregate-usage"), USAGE_PERIODS_STORE);

        updates
            .mapValues(PeriodUpdate::period, Named.as("period-totals"))
            .to(Topics.USAGE_PERIODS.name(),
                Produced.with(Serdes.String(), Topics.USAGE_PERIODS.valueSerde(registry))
                    .withName("usage-periods-sink"));

        updates
            .flatMapValues(AlertRaiser::alertsFor, Named.as("raise-alerts"))
            .to(Topics.USAGE_ALERTS.name(),
                Produced.with(Serdes.String(), Topics.USAGE_ALERTS.valueSerde(registry))
                    .withName("usage-alerts-sink"));
    }
}
