package io.tokenmonitor.processor.topology;

import io.tokenmonitor.processor.aggregation.PeriodUpdate;
import io.tokenmonitor.processor.aggregation.UsageAggregator;
import io.tokenmonitor.processor.alert.AlertRecorder;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.dedup.RequestDeduplicator;
import io.tokenmonitor.processor.estimation.UsageEstimator;
import io.tokenmonitor.processor.metrics.ProcessingCounters;
import io.tokenmonitor.processor.query.RecentRequestsRecorder;
import io.tokenmonitor.processor.aggregation.CommandOutcome;
import io.tokenmonitor.processor.aggregation.ResetApplier;
import io.tokenmonitor.processor.plan.PlanUpdater;
import io.tokenmonitor.processor.validation.DeadLetterSizeLimit;
import io.tokenmonitor.processor.validation.DeadLetters;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.processor.validation.RequestValidator;
import io.tokenmonitor.processor.validation.ValidatedRequest;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.schema.UserPlan;
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
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the one topology of the processor, used by the application, the tests and the benchmarks.
 *
 * <pre>
 * token-requests ─ validate ─┬─ rejected ──────────────────────────────────────────┐
 *                            └─ deduplicate (duplicates dropped and counted)       │
 *                               └─ estimate ─ record-recent ─┬─ token-usage        ├─ token-requests-dlq
 *                                                             └─ aggregate ─┐       │
 * user-plans ─── apply-plan ──┬─ rejected ───────────────────────────────┼──────────┤
 *                             └─ period updates ─────────────────────────┤          │
 * usage-resets ─ apply-reset ─┬─ rejected ───────────────────────────────┼──────────┘
 *                             └─ period updates ─────────────────────────┴─┬─ usage-periods
 *                                                                          └─ alerts ─ usage-alerts
 *                                                                             (kept in usage-alerts-store)
 * </pre>
 *
 * <p>Every input is keyed by user id and the input topics have the same partition count, so every step
 * runs on the partition of its user, in one sub-topology, and nothing is repartitioned.
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

    /**
     * Store of every alert raised: key {@code <userId>\0<period>\0<event time ms, 19 digits>\0<threshold, 4
     * digits>\0<alertId>}, so a prefix scan lists a user's alerts of a period oldest first; value the
     * {@link UsageAlert} as sent to the usage-alerts topic. Kept forever, like the period totals; its changelog
     * is compacted. A period has at most one alert per threshold for each reset.
     */
    public static final String USAGE_ALERTS_STORE = "usage-alerts-store";

    /** Store of each user's {@link PlanState}, keyed by user id; users without an entry have the default plan. */
    public static final String USER_PLANS_STORE = "user-plans-store";

    /** Store of the latest accepted event time of each task, under {@link RequestValidator#STREAM_TIME_KEY}. */
    public static final String STREAM_TIME_STORE = "stream-time-store";

    /**
     * Store of the requests already counted: key {@code <userId>\0<requestId>}, value the request's event time
     * in epoch milliseconds. An entry is removed once its event time is more than the deduplication horizon
     * ({@link ProcessorConfig#dedupHorizon()}, 7 days by default) before the task's latest accepted event time;
     * the validator rejects such old events as late, so a removed id is never counted twice.
     */
    public static final String SEEN_REQUESTS_STORE = "seen-requests-store";

    private final ProcessorConfig config;
    private final SchemaRegistryClient registry;
    private final DeadLetters deadLetters;
    private final RejectionCounter rejections;
    private final ProcessingCounters counters;

    public TokenMonitorTopology(ProcessorConfig config, SchemaRegistryClient registry, RejectionCounter rejections) {
        this(config, registry, rejections, new ProcessingCounters());
    }

    /** Creates the builder of a topology that counts metered requests and raised alerts in {@code counters}. */
    public TokenMonitorTopology(ProcessorConfig config, SchemaRegistryClient registry, RejectionCounter rejections,
        ProcessingCounters counters) {
        this.config = config;
        this.registry = registry;
        this.deadLetters = new DeadLetters(rejections);
        this.rejections = rejections;
        this.counters = counters;
    }

    /** Builds the topology. Every processor, store and sink has an explicit name. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);

        Map<String, KStream<String, ValidatedRequest>> requests = addValidation(builder);
        KStream<String, TokenUsage> usage = addEstimation(addDeduplication(requests.get("validation-accepted")));
        KStream<String, PeriodUpdate> requestUpdates = usage.processValues(
            () -> new UsageAggregator(USAGE_PERIODS_STORE, USER_PLANS_STORE, config.defaultPlan()),
            Named.as("aggregate-usage"), USAGE_PERIODS_STORE, USER_PLANS_STORE);

        Map<String, KStream<String, CommandOutcome>> plans = addCommandSource(builder, Topics.USER_PLANS.name(),
            "apply-plan", () -> new PlanUpdater(new AvroSerde<>(registry, UserPlan.class), deadLetters,
                USER_PLANS_STORE, USAGE_PERIODS_STORE, config.defaultPlan()));
        Map<String, KStream<String, CommandOutcome>> resets = addCommandSource(builder, Topics.USAGE_RESETS.name(),
            "apply-reset", () -> new ResetApplier(new AvroSerde<>(registry, UsageReset.class), deadLetters,
                USAGE_PERIODS_STORE, USER_PLANS_STORE, config.defaultPlan()));

        addDeadLetterSink(requests.get("validation-rejected")
            .mapValues(ValidatedRequest::originalValue, Named.as("request-original-bytes"))
            .merge(plans.get("apply-plan-rejected").mapValues(CommandOutcome::originalValue,
                Named.as("plan-original-bytes")), Named.as("merge-plan-dead-letters"))
            .merge(resets.get("apply-reset-rejected").mapValues(CommandOutcome::originalValue,
                Named.as("reset-original-bytes")), Named.as("merge-reset-dead-letters")));

        addPeriodSinks(requestUpdates
            .merge(updatesOf(plans.get("apply-plan-applied"), "plan"), Named.as("merge-plan-updates"))
            .merge(updatesOf(resets.get("apply-reset-applied"), "reset"), Named.as("merge-reset-updates")));
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
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(USER_PLANS_STORE),
            Serdes.String(),
            new AvroSerde<>(registry, PlanState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(USAGE_ALERTS_STORE),
            Serdes.String(),
            new AvroSerde<>(registry, UsageAlert.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STREAM_TIME_STORE),
            Serdes.String(),
            Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SEEN_REQUESTS_STORE),
            Serdes.String(),
            Serdes.Long()));
    }

    private Map<String, KStream<String, ValidatedRequest>> addValidation(StreamsBuilder builder) {
        RequestValidator.TimeRules timeRules = new RequestValidator.TimeRules(USER_PLANS_STORE, STREAM_TIME_STORE,
            config.defaultPlan(), config.gracePeriod(), config.maxClockSkew(), config.dedupHorizon());
        return builder
            .stream(Topics.TOKEN_REQUESTS.name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("token-requests-source"))
            .processValues(() -> new RequestValidator(new AvroSerde<>(registry, TokenRequest.class), deadLetters,
                    timeRules, config.maxTextBytes()),
                Named.as("validate-request"), USER_PLANS_STORE, STREAM_TIME_STORE)
            .split(Named.as("validation-"))
            .branch((userId, result) -> result.isAccepted(), Branched.as("accepted"))
            .defaultBranch(Branched.as("rejected"));
    }

    /** Drops every accepted request whose user and request id were already counted. */
    private KStream<String, ValidatedRequest> addDeduplication(KStream<String, ValidatedRequest> accepted) {
        return accepted.processValues(() -> new RequestDeduplicator(SEEN_REQUESTS_STORE, STREAM_TIME_STORE,
                config.dedupHorizon(), rejections),
            Named.as("deduplicate-request"), SEEN_REQUESTS_STORE, STREAM_TIME_STORE);
    }

    private KStream<String, TokenUsage> addEstimation(KStream<String, ValidatedRequest> accepted) {
        UsageEstimator estimator = config.usageEstimator();
        KStream<String, TokenUsage> usage = accepted
            .mapValues(result -> estimator.estimate(result.request(), result.period().name()),
                Named.as("estimate-tokens"))
            .processValues(() -> new RecentRequestsRecorder(RECENT_REQUESTS_STORE,
                    new AvroSerde<>(registry, TokenUsage.class)),
                Named.as("record-recent-requests"), RECENT_REQUESTS_STORE)
            .peek((userId, metered) -> counters.requestMetered(), Named.as("count-metered-request"));

        usage.to(Topics.TOKEN_USAGE.name(),
            Produced.with(Serdes.String(), Topics.TOKEN_USAGE.valueSerde(registry)).withName("token-usage-sink"));
        return usage;
    }

    /** Adds a source of plan or reset commands and the processor that applies them, split by outcome. */
    private Map<String, KStream<String, CommandOutcome>> addCommandSource(
        StreamsBuilder builder, String topic, String name,
        FixedKeyProcessorSupplier<String, byte[], CommandOutcome> processor) {
        return builder
            .stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(topic + "-source"))
            .processValues(processor, Named.as(name), USER_PLANS_STORE, USAGE_PERIODS_STORE)
            .split(Named.as(name + "-"))
            .branch((userId, outcome) -> outcome.isRejected(), Branched.as("rejected"))
            .branch((userId, outcome) -> outcome.hasUpdate(), Branched.as("applied"))
            .noDefaultBranch();
    }

    private static KStream<String, PeriodUpdate> updatesOf(KStream<String, CommandOutcome> applied, String name) {
        return applied.mapValues(CommandOutcome::update, Named.as(name + "-period-update"));
    }

    /** Writes rejected records to the dead-letter topic, cut to sizes the topic accepts. */
    private void addDeadLetterSink(KStream<String, byte[]> rejected) {
        rejected.process(DeadLetterSizeLimit::new, Named.as("bound-dead-letter-size")).to(Topics.TOKEN_REQUESTS_DLQ.name(),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName("token-requests-dlq-sink"));
    }

    private void addPeriodSinks(KStream<String, PeriodUpdate> updates) {
        updates
            .mapValues(PeriodUpdate::period, Named.as("period-totals"))
            .to(Topics.USAGE_PERIODS.name(),
                Produced.with(Serdes.String(), Topics.USAGE_PERIODS.valueSerde(registry))
                    .withName("usage-periods-sink"));

        updates
            .processValues(() -> new AlertRecorder(USAGE_ALERTS_STORE), Named.as("raise-alerts"), USAGE_ALERTS_STORE)
            .peek((userId, alert) -> counters.alertRaised(), Named.as("count-raised-alert"))
            .to(Topics.USAGE_ALERTS.name(),
                Produced.with(Serdes.String(), Topics.USAGE_ALERTS.valueSerde(registry))
                    .withName("usage-alerts-sink"));
    }
}
