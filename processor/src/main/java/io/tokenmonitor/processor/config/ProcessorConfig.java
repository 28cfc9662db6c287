package io.tokenmonitor.processor.config;

import io.tokenmonitor.kafka.KafkaClientSettings;
import io.tokenmonitor.processor.estimation.Calibration;
import io.tokenmonitor.processor.estimation.ExactTokenizers;
import io.tokenmonitor.processor.estimation.ModelCatalog;
import io.tokenmonitor.processor.estimation.UsageEstimator;
import io.tokenmonitor.processor.lifecycle.LogAndFailProcessingHandler;
import io.tokenmonitor.processor.lifecycle.StreamsReadiness;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.validation.DeadLetterDeserializationHandler;
import io.tokenmonitor.processor.validation.InvalidTimestampFallback;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of one processor instance. {@link #defaults()} gives the values used when nothing is set; the
 * launcher overrides them from command-line flags.
 *
 * @param applicationId Kafka Streams application id, shared by every instance of one deployment
 * @param bootstrapServers Kafka bootstrap servers, host:port[,host:port]
 * @param schemaRegistryUrl base URL of the Confluent-compatible Schema Registry
 * @param stateDir directory of this instance's state stores; must not be shared with another instance
 * @param httpHost interface the HTTP API binds to
 * @param httpPort port of the HTTP API, 0 to pick a free one
 * @param defaultPlan the plan of users without one of their own
 * @param gracePeriod how long after its period ends a late event is still counted in it
 * @param maxClockSkew how far ahead of the processor's wall clock an event time may be
 * @param dedupHorizon how long a request id is remembered for deduplication, measured in stream time; an
 *     event older than this before the stream time is rejected as late, imported or not
 * @param commitInterval Kafka Streams commit interval; with exactly-once it bounds end-to-end latency
 * @param streamThreads stream threads of this instance
 * @param modelCatalogFile a user catalogue that extends or overrides the shipped one, or null
 * @param tokenizerDirectory directory of tokenizer files for exact counts beyond OpenAI's, or null
 * @param advertisedHost host name other instances use to reach this instance's HTTP API, or null for
 *     {@code httpHost}; required when {@code httpHost} is a wildcard address such as 0.0.0.0
 * @param standbyReplicas standby replicas of each state store kept on other instances
 *     ({@code num.standby.replicas}); they take over a partition quickly and serve {@code allowStale} reads
 * @param maxTextBytes maximum size of a request's prompt text and, separately, its completion text, in UTF-8
 *     bytes; a larger request is dead-lettered as {@code oversized}
 * @param readyMaxInputLag the largest lag, in records of the owned input partitions, at which {@code /ready}
 *     still reports the instance ready
 * @param rocksDbBlockCacheBytes bytes of the RocksDB block cache shared by all state stores of this instance,
 *     write buffers, index and filter blocks included; 0 leaves each store with Kafka Streams' own RocksDB defaults
 * @param rocksDbWriteBufferBytes bytes of RocksDB memtables of all state stores of this instance, charged to the
 *     block cache; at most {@code rocksDbBlockCacheBytes}, and 0 exactly when that is 0
 * @param kafkaSettings Kafka client settings passed through to Kafka Streams and its clients, such as security
 *     settings, which replace the product's defaults except those in {@link #PROTECTED_STREAMS_SETTINGS}
 */
public record ProcessorConfig(
    String applicationId,
    String bootstrapServers,
    String schemaRegistryUrl,
    Path stateDir,
    String httpHost,
    int httpPort,
    DefaultPlan defaultPlan,
    Duration gracePeriod,
    Duration maxClockSkew,
    Duration dedupHorizon,
    Duration commitInterval,
    int streamThreads,
    Path modelCatalogFile,
    Path tokenizerDirectory,
    String advertisedHost,
    int standbyReplicas,
    int maxTextBytes,
    long readyMaxInputLag,
    long rocksDbBlockCacheBytes,
    long rocksDbWriteBufferBytes,
    KafkaClientSettings kafkaSettings) {

    /**
     * Streams settings the pass-through cannot replace: the application id comes from its own option, and
     * exactly-once processing with read_committed consumers is what keeps totals and alerts counted once.
     */
    public static final List<String> PROTECTED_STREAMS_SETTINGS = List.of(StreamsConfig.APPLICATION_ID_CONFIG,
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG);

    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Default deduplication horizon: longer than any producer retry or re-sent browser history. */
    public static final Duration DEFAULT_DEDUP_HORIZON = Duration.ofDays(7);

    /**
     * Default maximum size of one prompt or completion text: 1 MiB of UTF-8, about 260,000 tokens at four
     * characters per token. Kafka's default producer {@code max.request.size} and broker {@code message.max.bytes}
     * are also about 1 MB, so a larger text arrives only from a producer with a raised limit whose compressed batch
     * still fits the broker's limit, or through a topic that allows larger messages.
     */
    public static final int DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

    /** Default RocksDB block cache of one instance, shared by all its stores: 256 MiB. */
    public static final long DEFAULT_ROCKSDB_BLOCK_CACHE_BYTES = 256L * 1024 * 1024;

    /**
     * Default RocksDB memtable budget of one instance, part of the block cache: 64 MiB. With 16 MiB shared by the
     * 36 stores of 6 partitions, memtables were flushed so often that the full topology ran at less than half
     * the rate it reached with 64 MiB, on 100,000 users (see BENCHMARKS.md).
     */
    public static final long DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES = 64L * 1024 * 1024;

    /** Upper bound of {@link #maxTextBytes()}, so that the size of a whole record still fits in an int. */
    public static final int MAX_TEXT_BYTES_LIMIT = 256 * 1024 * 1024;

    public ProcessorConfig {
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port must be 0 to 65535, got " + httpPort);
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("Grace period must not be negative, got " + gracePeriod);
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("Maximum clock skew must not be negative, got " + maxClockSkew);
        }
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("Deduplication horizon must be positive, got " + dedupHorizon);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("Stream threads must be at least 1, got " + streamThreads);
        }
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("Standby replicas must not be negative, got " + standbyReplicas);
        }
        if (maxTextBytes < 1 || maxTextBytes > MAX_TEXT_BYTES_LIMIT) {
            throw new IllegalArgumentException("Maximum text size must be 1 to " + MAX_TEXT_BYTES_LIMIT
                + " bytes, got " + maxTextBytes);
        }
        if (readyMaxInputLag < 0) {
            throw new IllegalArgumentException("Maximum input lag of a ready instance must not be negative, got "
                + readyMaxInputLag);
        }
        checkRocksDbBounds(rocksDbBlockCacheBytes, rocksDbWriteBufferBytes);
        kafkaSettings.requireNotOverridden(PROTECTED_STREAMS_SETTINGS, "the processor sets it itself, because "
            + "correct totals need exactly-once processing and read_committed consumers, and the application id "
            + "comes from --application-id");
        if (advertisedHost == null && isWildcard(httpHost)) {
            throw new IllegalArgumentException("HTTP host " + httpHost + " is a wildcard address, which other "
                + "instances cannot call; set an advertised host");
        }
    }

    /** Returns the settings used when nothing is set: a local broker and registry on their usual ports. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig(
            "token-monitor",
            "127.0.0.1:9092",
            "http://127.0.0.1:8081",
            Path.of(System.getProperty("java.io.tmpdir"), "token-monitor-state"),
            "127.0.0.1",
            8080,
            DefaultPlan.HF_PRO,
            DEFAULT_GRACE_PERIOD,
            DEFAULT_MAX_CLOCK_SKEW,
            DEFAULT_DEDUP_HORIZON,
            Duration.ofMillis(100),
            1,
            null,
            null,
            null,
            0,
            DEFAULT_MAX_TEXT_BYTES,
            StreamsReadiness.DEFAULT_MAX_INPUT_LAG,
            DEFAULT_ROCKSDB_BLOCK_CACHE_BYTES,
            DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES,
            KafkaClientSettings.none());
    }

    public ProcessorConfig withBootstrapServers(String value) {
        return edit(settings -> settings.bootstrapServers = value);
    }

    public ProcessorConfig withSchemaRegistryUrl(String value) {
        return edit(settings -> settings.schemaRegistryUrl = value);
    }

    public ProcessorConfig withStateDir(Path value) {
        return edit(settings -> settings.stateDir = value);
    }

    public ProcessorConfig withHttpPort(int value) {
        return edit(settings -> settings.httpPort = value);
    }

    public ProcessorConfig withApplicationId(String value) {
        return edit(settings -> settings.applicationId = value);
    }

    public ProcessorConfig withDefaultPlan(DefaultPlan value) {
        return edit(settings -> settings.defaultPlan = value);
    }

    /** Returns these settings with the default plan's monthly limit replaced. */
    public ProcessorConfig withMonthlyLimit(long value) {
        return withDefaultPlan(defaultPlan.withMonthlyTokenLimit(value));
    }

    public ProcessorConfig withGracePeriod(Duration value) {
        return edit(settings -> settings.gracePeriod = value);
    }

    public ProcessorConfig withMaxClockSkew(Duration value) {
        return edit(settings -> settings.maxClockSkew = value);
    }

    public ProcessorConfig withDedupHorizon(Duration value) {
        return edit(settings -> settings.dedupHorizon = value);
    }

    public ProcessorConfig withModelCatalogFile(Path value) {
        return edit(settings -> settings.modelCatalogFile = value);
    }

    public ProcessorConfig withTokenizerDirectory(Path value) {
        return edit(settings -> settings.tokenizerDirectory = value);
    }

    public ProcessorConfig withHttpHost(String value) {
        return edit(settings -> settings.httpHost = value);
    }

    public ProcessorConfig withAdvertisedHost(String value) {
        return edit(settings -> settings.advertisedHost = value);
    }

    public ProcessorConfig withReadyMaxInputLag(long value) {
        return edit(settings -> settings.readyMaxInputLag = value);
    }

    public ProcessorConfig withStandbyReplicas(int value) {
        return edit(settings -> settings.standbyReplicas = value);
    }

    public ProcessorConfig withMaxTextBytes(int value) {
        return edit(settings -> settings.maxTextBytes = value);
    }

    /**
     * Returns these settings with the RocksDB memory bounds replaced. Setting both to 0 turns the bounds off.
     *
     * @throws IllegalArgumentException if a size is negative, only one is 0, or the write buffer is larger than
     *     the block cache
     */
    public ProcessorConfig withRocksDbMemory(long blockCacheBytes, long writeBufferBytes) {
        return edit(settings -> {
            settings.rocksDbBlockCacheBytes = blockCacheBytes;
            settings.rocksDbWriteBufferBytes = writeBufferBytes;
        });
    }

    /** Returns whether RocksDB memory is bounded, which is when the block cache size is not 0. */
    public boolean rocksDbMemoryBounded() {
        return rocksDbBlockCacheBytes > 0;
    }

    /**
     * Returns these settings with Kafka client settings passed through.
     *
     * @throws IllegalArgumentException if they set one of {@link #PROTECTED_STREAMS_SETTINGS}
     */
    public ProcessorConfig withKafkaSettings(KafkaClientSettings value) {
        return edit(settings -> settings.kafkaSettings = value);
    }

    /**
     * Returns the {@code host:port} at which other instances reach this instance's HTTP API, which is also its
     * Kafka Streams {@code application.server}.
     */
    public String applicationServer() {
        String host = advertisedHost != null ? advertisedHost : httpHost;
        return host + ":" + httpPort;
    }

    private ProcessorConfig edit(Consumer<Settings> change) {
        Settings settings = new Settings(this);
        change.accept(settings);
        return settings.toConfig();
    }

    /** A mutable copy of the settings, so each wither names only the component it changes. */
    private static final class Settings {

        private String applicationId;
        private String bootstrapServers;
        private String schemaRegistryUrl;
        private Path stateDir;
        private String httpHost;
        private int httpPort;
        private DefaultPlan defaultPlan;
        private Duration gracePeriod;
        private Duration maxClockSkew;
        private Duration dedupHorizon;
        private Duration commitInterval;
        private int streamThreads;
        private Path modelCatalogFile;
        private Path tokenizerDirectory;
        private String advertisedHost;
        private int standbyReplicas;
        private int maxTextBytes;
        private long readyMaxInputLag;
        private long rocksDbBlockCacheBytes;
        private long rocksDbWriteBufferBytes;
        private KafkaClientSettings kafkaSettings;

        Settings(ProcessorConfig config) {
            applicationId = config.applicationId;
            bootstrapServers = config.bootstrapServers;
            schemaRegistryUrl = config.schemaRegistryUrl;
            stateDir = config.stateDir;
            httpHost = config.httpHost;
            httpPort = config.httpPort;
            defaultPlan = config.defaultPlan;
            gracePeriod = config.gracePeriod;
            maxClockSkew = config.maxClockSkew;
            dedupHorizon = config.dedupHorizon;
            commitInterval = config.commitInterval;
            streamThreads = config.streamThreads;
            modelCatalogFile = config.modelCatalogFile;
            tokenizerDirectory = config.tokenizerDirectory;
            advertisedHost = config.advertisedHost;
            standbyReplicas = config.standbyReplicas;
            maxTextBytes = config.maxTextBytes;
            readyMaxInputLag = config.readyMaxInputLag;
            rocksDbBlockCacheBytes = config.rocksDbBlockCacheBytes;
            rocksDbWriteBufferBytes = config.rocksDbWriteBufferBytes;
            kafkaSettings = config.kafkaSettings;
        }

        ProcessorConfig toConfig() {
            return new ProcessorConfig(applicationId, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, httpPort,
                defaultPlan, gracePeriod, maxClockSkew, dedupHorizon, commitInterval, streamThreads, modelCatalogFile,
                tokenizerDirectory, advertisedHost, standbyReplicas, maxTextBytes, readyMaxInputLag,
                rocksDbBlockCacheBytes, rocksDbWriteBufferBytes, kafkaSettings);
        }
    }


    /** Returns the token estimator these settings describe: the catalogue, tokenizers and calibration. */
    public UsageEstimator usageEstimator() {
        ModelCatalog catalog = modelCatalogFile != null
            ? ModelCatalog.loadWithUserFile(modelCatalogFile)
            : ModelCatalog.loadShipped();
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.ofNullable(tokenizerDirectory),
            catalog.customTokenizers());
        return new UsageEstimator(catalog, tokenizers, Calibration.bundled());
    }

    private static void checkRocksDbBounds(long blockCacheBytes, long writeBufferBytes) {
        if (blockCacheBytes < 0 || writeBufferBytes < 0) {
            throw new IllegalArgumentException("RocksDB block cache and write buffer must not be negative, got "
                + blockCacheBytes + " and " + writeBufferBytes + " bytes");
        }
        if ((blockCacheBytes == 0) != (writeBufferBytes == 0)) {
            throw new IllegalArgumentException("RocksDB block cache and write buffer must both be 0 (no bounds) or "
                + "both positive, got " + blockCacheBytes + " and " + writeBufferBytes + " bytes");
        }
        if (writeBufferBytes > blockCacheBytes) {
            throw new IllegalArgumentException("RocksDB write buffer of " + writeBufferBytes + " bytes must not be "
                + "larger than the block cache of " + blockCacheBytes + " bytes, because it is charged to it");
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * Returns the Kafka Streams properties of this instance. The caller adds the counter that the deserialization
     * exception handler counts in, under {@link DeadLetterDeserializationHandler#REJECTION_COUNTER_CONFIG}. The
     * pass-through settings replace the product's defaults below, except the protected ones.
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        // Every instance learns the others' HTTP addresses from this setting and forwards queries to them.
        // NOTE: with HTTP port 0 the address names no real port, so forwarding works only with a single instance.
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
        // Output readers use read_committed, so only committed totals and alerts are ever seen.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Refuse to start if a store, changelog or repartition topic would get a generated name.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterDeserializationHandler.class.getName());
        // A negative record timestamp would otherwise stop the stream thread on every attempt.
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, InvalidTimestampFallback.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingHandler.class);
        if (rocksDbMemoryBounded()) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfigSetter.class.getName());
            props.put(BoundedRocksDbConfigSetter.BLOCK_CACHE_BYTES_CONFIG, Long.toString(rocksDbBlockCacheBytes));
            props.put(BoundedRocksDbConfigSetter.WRITE_BUFFER_BYTES_CONFIG, Long.toString(rocksDbWriteBufferBytes));
        }
        return kafkaSettings.applyTo(props, PROTECTED_STREAMS_SETTINGS);
    }
}
