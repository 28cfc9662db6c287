package io.tokenmonitor.bench.throughput;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.kafka.KafkaClientSettings;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The three consumers whose catch-up rates the throughput benchmark compares, each reading the whole of
 * {@code token-requests} from the beginning with a fresh group id and, for Kafka Streams, a fresh state directory.
 * The input topic must be written without transactions, so that its end offsets count its records.
 */
public final class CatchUpPhases {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long PROGRESS_POLL_MS = 5;
    private static final long COMMIT_POLL_MS = 100;

    private final BenchStack stack;
    private final Map<TopicPartition, Long> endOffsets;
    private final KafkaClientSettings streamsSettings;

    private CatchUpPhases(BenchStack stack, Map<TopicPartition, Long> endOffsets,
                          KafkaClientSettings streamsSettings) {
        this.stack = stack;
        this.endOffsets = endOffsets;
        this.streamsSettings = streamsSettings;
    }

    /**
     * Reads the end offsets of {@code token-requests}, which every phase then reads up to.
     *
     * @param streamsSettings Kafka settings added to the product's Streams settings in both Streams phases
     */
    public static CatchUpPhases of(BenchStack stack, KafkaClientSettings streamsSettings) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(stack, "bench-end-offsets")) {
            List<TopicPartition> partitions = inputPartitions(consumer);
            return new CatchUpPhases(stack, Map.copyOf(consumer.endOffsets(partitions)), streamsSettings);
        }
    }

    /** Returns the number of records the phases read: the sum of the input's end offsets. */
    public long inputRecords() {
        return endOffsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads every input record as bytes, with read_committed, and deserializes nothing. */
    public PhaseTiming plainConsumer() {
        long started = System.nanoTime();
        long deadline = started + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(stack, "bench-plain-" + UUID.randomUUID())) {
            consumer.assign(endOffsets.keySet());
            consumer.seekToBeginning(endOffsets.keySet());
            long records = 0;
            long first = 0;
            long last = 0;
            while (!reachedEnd(consumer)) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    last = System.nanoTime();
                    if (first == 0) {
                        first = last;
                    }
                    records += batch.count();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The plain consumer read " + records + " of " + inputRecords()
                        + " records in " + TIMEOUT + "; the broker may have stopped");
                }
            }
            return new PhaseTiming(records, first - started, last - first, 0);
        }
    }

    private boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs a Kafka Streams application that deserializes each request with the topic's Avro serde and writes it
     * again to a sink topic of its own: the product's Streams settings, exactly-once included, without its
     * topology.
     */
    public PhaseTiming passThrough() throws InterruptedException {
        String applicationId = "bench-pass-through-" + UUID.randomUUID();
        String sinkTopic = applicationId + "-sink";
        createTopic(sinkTopic);
        Path stateDir = createTempDirectory("token-monitor-bench-pass-through-");
        ProcessorConfig config = productConfig(applicationId, stateDir);
        Properties properties = config.streamsProperties();
        // The product's error handlers need its rejection counter, which this application does not have.
        properties.remove(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG);
        properties.remove(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG);

        Serde<TokenRequest> values = Topics.TOKEN_REQUESTS.valueSerde(new RestSchemaRegistryClient(stack.registryUrl()));
        AtomicLong processed = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.TOKEN_REQUESTS.name(),
                Consumed.with(Serdes.String(), values).withName("pass-through-source"))
            .peek((userId, request) -> processed.incrementAndGet(), Named.as("count-passed-through"))
            .to(sinkTopic, Produced.with(Serdes.String(), values).withName("pass-through-sink"));

        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            streams.start();
            return awaitCatchUp(applicationId, processed::get, started);
        } finally {
            BenchStack.deleteTree(stateDir);
        }
    }

    /**
     * Runs the product's processor with its whole topology until it has processed every input record, metered
     * or rejected, and committed its input offsets.
     */
    public PhaseTiming fullTopology() throws InterruptedException {
        String applicationId = "bench-full-" + UUID.randomUUID();
        Path stateDir = createTempDirectory("token-monitor-bench-full-");
        ProcessorConfig config = productConfig(applicationId, stateDir);
        long started = System.nanoTime();
        try (TokenMonitorProcessor processor = TokenMonitorProcessor.start(config,
            new RestSchemaRegistryClient(stack.registryUrl()),
            ApiTokens.of("bench-admin-" + UUID.randomUUID(), Map.of()))) {
            RejectionCounter rejections = processor.rejections();
            LongSupplier processed = () -> processor.counters().requestsMetered() + rejections.duplicates()
                + rejections.snapshot().values().stream().mapToLong(Long::longValue).sum();
            return awaitCatchUp(applicationId, processed, started);
        } finally {
            BenchStack.deleteTree(stateDir);
        }
    }

    private ProcessorConfig productConfig(String applicationId, Path stateDir) {
        return ProcessorConfig.defaults()
            .withBootstrapServers(stack.bootstrapServers())
            .withSchemaRegistryUrl(stack.registryUrl())
            .withHttpPort(0)
            .withStateDir(stateDir)
            .withApplicationId(applicationId)
            .withKafkaSettings(streamsSettings);
    }

    /**
     * Polls a processed-record count until it reaches the input's record count and the group's committed offsets
     * reach the end offsets. The last record's time is that of the last poll that saw the count grow, so it is
     * late by about {@value #PROGRESS_POLL_MS} ms.
     */
    private PhaseTiming awaitCatchUp(String groupId, LongSupplier processed, long started)
        throws InterruptedException {
        long deadline = started + TIMEOUT.toNanos();
        long expected = inputRecords();
        long first = 0;
        long last = 0;
        long seen = 0;
        long nextCommitCheck = 0;
        try (Admin admin = admin(stack)) {
            while (true) {
                long now = System.nanoTime();
                long count = processed.getAsLong();
                if (count > seen) {
                    seen = count;
                    last = now;
                    if (first == 0) {
                        first = now;
                    }
                }
                if (seen >= expected && now >= nextCommitCheck) {
                    nextCommitCheck = now + TimeUnit.MILLISECONDS.toNanos(COMMIT_POLL_MS);
                    if (committedToEnd(admin, groupId)) {
                        return new PhaseTiming(seen, first - started, last - first, System.nanoTime() - last);
                    }
                }
                if (now > deadline) {
                    throw new IllegalStateException(groupId + " processed " + seen + " of " + expected
                        + " records in " + TIMEOUT + " or did not commit its offsets");
                }
                Thread.sleep(PROGRESS_POLL_MS);
            }
        }
    }

    private boolean committedToEnd(Admin admin, String groupId) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Failed to read the committed offsets of group " + groupId, e);
        }
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (end.getValue() == 0) {
                // An empty partition gives the group nothing to commit, for example with fewer users than
                // partitions.
                continue;
            }
            OffsetAndMetadata offset = committed.get(end.getKey());
            if (offset == null || offset.offset() < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void createTopic(String topic) throws InterruptedException {
        try (Admin admin = admin(stack)) {
            admin.createTopics(List.of(new NewTopic(topic, endOffsets.size(), (short) 1))).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Failed to create topic " + topic, e);
        }
    }

    private static List<TopicPartition> inputPartitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.TOKEN_REQUESTS.name());
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> bytesConsumer(BenchStack stack, String groupId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Admin admin(BenchStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static Path createTempDirectory(String prefix) {
        return ExitCleanup.temporaryDirectory(prefix);
    }
}
