package io.tokenmonitor.processor;

import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.http.ApiServer;
import io.tokenmonitor.processor.http.ApiServices;
import io.tokenmonitor.processor.http.ClusterView;
import io.tokenmonitor.processor.http.InstanceClient;
import io.tokenmonitor.processor.http.InstanceGatherer;
import io.tokenmonitor.processor.http.StreamsClusterView;
import io.tokenmonitor.processor.http.StreamsQueryRouter;
import io.tokenmonitor.processor.http.StreamsStores;
import io.tokenmonitor.processor.http.TokenAccessControl;
import io.tokenmonitor.processor.lifecycle.InputLag;
import io.tokenmonitor.processor.lifecycle.RestorationTracker;
import io.tokenmonitor.processor.lifecycle.StreamThreadFailureHandler;
import io.tokenmonitor.processor.lifecycle.StreamsReadiness;
import io.tokenmonitor.processor.metrics.ProcessingCounters;
import io.tokenmonitor.processor.metrics.ProcessorMetrics;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import io.tokenmonitor.processor.validation.DeadLetterDeserializationHandler;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running processor instance: the Kafka Streams topology and the HTTP API over its stores.
 */
public final class TokenMonitorProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenMonitorProcessor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Time limit to connect to another instance and, separately, to receive its response. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    /** Time limit of each broker request that computes the input lag for {@code /ready}. */
    private static final Duration LAG_TIMEOUT = Duration.ofSeconds(2);

    private final ProcessorConfig config;
    private final KafkaStreams streams;
    private final Admin admin;
    private final RestorationTracker restoration = new RestorationTracker();
    private final StreamThreadFailureHandler threadFailures = new StreamThreadFailureHandler();
    private final ApiServer api;
    private final RejectionCounter rejections = new RejectionCounter();
    private final ProcessingCounters counters = new ProcessingCounters();
    private final ProcessorMetrics metrics = new ProcessorMetrics(rejections, counters);
    private int httpPort;

    private TokenMonitorProcessor(ProcessorConfig config, SchemaRegistryClient registry, ApiTokens tokens) {
        this.config = config;
        Topology topology = new TokenMonitorTopology(config, registry, rejections, counters).build();
        Properties streamsProperties = config.streamsProperties();
        streamsProperties.put(DeadLetterDeserializationHandler.REJECTION_COUNTER_CONFIG, rejections);
        this.streams = new KafkaStreams(topology, streamsProperties);
        metrics.bindStreams(streams);
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-readiness");
        this.admin = Admin.create(config.kafkaSettings().applyTo(adminProperties, List.of()));
        InputLag inputLag = new InputLag(admin, config.applicationId(), this::activeInputPartitions, LAG_TIMEOUT);
        StreamsReadiness readiness = new StreamsReadiness(streams::state, restoration::restoringPartitions,
            inputLag::records, config.readyMaxInputLag(), StreamsReadiness.DEFAULT_LAG_CACHE_TIME, System::nanoTime);

        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(registry, TokenUsage.class);
        ClusterView cluster = new StreamsClusterView(streams);
        InstanceClient instances = new InstanceClient(HostInfo.buildFromEndpoint(config.applicationServer()),
            FORWARD_TIMEOUT);
        this.api = new ApiServer(new ApiServices(
            localStores -> new UsageQueries(localStores, usageSerde, config.defaultPlan()),
            StreamsStores.allPartitions(streams),
            new StreamsQueryRouter(cluster, instances),
            new TokenAccessControl(tokens),
            rejections,
            streams::state,
            Clock.systemUTC(),
            new InstanceGatherer(cluster, instances),
            readiness), metrics);
    }

    /** Returns the input partitions of this instance's active tasks, source and repartition topics alike. */
    private Set<TopicPartition> activeInputPartitions() {
        Set<TopicPartition> partitions = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                partitions.addAll(task.topicPartitions());
            }
        }
        return partitions;
    }

    /**
     * Starts Kafka Streams and the HTTP API, which accepts the bearer tokens in {@code tokens}. Returns at
     * once; the stores become queryable when Streams reaches RUNNING, see {@link #awaitRunning(Duration)}.
     */
    public static TokenMonitorProcessor start(ProcessorConfig config, SchemaRegistryClient registry,
        ApiTokens tokens) {
        TokenMonitorProcessor processor = new TokenMonitorProcessor(config, registry, tokens);
        processor.startAll();
        return processor;
    }

    private void startAll() {
        LOG.info("Starting processor {}: bootstrap {}, registry {}, state dir {}, default plan {}, grace period {}, "
                + "max clock skew {}, dedup horizon {}, application server {}, standby replicas {}",
            config.applicationId(), config.bootstrapServers(), config.schemaRegistryUrl(), config.stateDir(),
            config.defaultPlan(), config.gracePeriod(), config.maxClockSkew(), config.dedupHorizon(), config.applicationServer(),
            config.standbyReplicas());
        streams.setStateListener((newState, oldState) ->
            LOG.info("Kafka Streams state {} -> {}", oldState, newState));
        streams.setUncaughtExceptionHandler(threadFailures);
        streams.setGlobalStateRestoreListener(restoration);
        streams.start();
        httpPort = api.start(config.httpHost(), config.httpPort());
    }

    /** Returns the port the HTTP API listens on. */
    public int httpPort() {
        return httpPort;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public RejectionCounter rejections() {
        return rejections;
    }

    public ProcessingCounters counters() {
        return counters;
    }

    /**
     * Waits until Kafka Streams is RUNNING.
     *
     * @throws TimeoutException if it is not RUNNING within the timeout
     */
    public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("Kafka Streams is " + streams.state() + ", not RUNNING, after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Returns the number of stream threads replaced after an uncaught exception since start. */
    public long threadReplacements() {
        return threadFailures.replacements();
    }

    /**
     * Stops the HTTP API first, so no query reads a store that is closing, then closes Kafka Streams. Each stream
     * thread commits its transaction, which flushes the stores and the produced records. The instance then leaves
     * the consumer group, so its partitions move to other instances at once rather than after the session
     * timeout. Logs each step at INFO.
     */
    @Override
    public void close() {
        LOG.info("Stopping processor {}: HTTP API first", config.applicationId());
        api.close();
        LOG.info("Closing Kafka Streams: committing, flushing the stores and leaving group {}",
            config.applicationId());
        boolean closed = streams.close(CloseOptions
            .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
        if (closed) {
            LOG.info("Kafka Streams closed");
        } else {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
        admin.close(LAG_TIMEOUT);
        metrics.close();
        LOG.info("Processor {} stopped", config.applicationId());
    }
}
