package io.tokenmonitor.processor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
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
 * @param monthlyLimit token limit of every user per calendar month
 * @param thresholdsPercent alert thresholds in percent of the limit, ascending
 * @param commitInterval Kafka Streams commit interval; with exactly-once it bounds end-to-end latency
 * @param streamThreads stream threads of this instance
 */
public record ProcessorConfig(
    String applicationId,
    String bootstrapServers,
    String schemaRegistryUrl,
    Path stateDir,
    String httpHost,
    int httpPort,
    long monthlyLimit,
    List<Integer> thresholdsPercent,
    Duration commitInterval,
    int streamThreads) {

    public static final long DEFAULT_MONTHLY_LIMIT = 1_000_000L;
    public static final List<Integer> DEFAULT_THRESHOLDS_PERCENT = List.of(50, 80, 90, 100);

    public ProcessorConfig {
        if (monthlyLimit <= 0) {
            throw new IllegalArgumentException("Monthly limit must be positive, got " + monthlyLimit);
        }
        if (thresholdsPercent.isEmpty() || thresholdsPercent.stream().anyMatch(t -> t <= 0)) {
            throw new IllegalArgumentException("Thresholds must be positive percentages, got " + thresholdsPercent);
        }
        thresholdsPercent = thresholdsPercent.stream().distinct().sorted().toList();
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port must be 0 to 65535, got " + httpPort);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("Stream threads must be at least 1, got " + streamThreads);
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
            DEFAULT_MONTHLY_LIMIT,
            DEFAULT_THRESHOLDS_PERCENT,
            Duration.ofMillis(100),
            1);
    }

    public ProcessorConfig withBootstrapServers(String value) {
        return new ProcessorConfig(applicationId, value, schemaRegistryUrl, stateDir, httpHost, httpPort,
            monthlyLimit, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withSchemaRegistryUrl(String value) {
        return new ProcessorConfig(applicationId, bootstrapServers, value, stateDir, httpHost, httpPort,
            monthlyLimit, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withStateDir(Path value) {
        return new ProcessorConfig(applicationId, bootstrapServers, schemaRegistryUrl, value, httpHost, httpPort,
            monthlyLimit, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withHttpPort(int value) {
        return new ProcessorConfig(applicationId, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, value,
            monthlyLimit, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withMonthlyLimit(long value) {
        return new ProcessorConfig(applicationId, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, httpPort,
            value, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withApplicationId(String value) {
        return new ProcessorConfig(value, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, httpPort,
            monthlyLimit, thresholdsPercent, commitInterval, streamThreads);
    }

    public ProcessorConfig withThresholdsPercent(List<Integer> value) {
        return new ProcessorConfig(applicationId, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, httpPort,
            monthlyLimit, value, commitInterval, streamThreads);
    }

    /** Returns the Kafka Streams properties of this instance. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        // Interactive queries and the HTTP API run on this address; later instances use it for routing.
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, httpHost + ":" + httpPort);
        // Output readers use read_committed, so only committed totals and alerts are ever seen.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Refuse to start if a store, changelog or repartition topic would get a generated name.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return props;
    }
}
