package io.tokenmonitor.bench;

import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes request events to {@code token-requests} before a benchmark starts, and reads how many records a topic
 * holds, so that catch-up throughput can be measured from a full input topic.
 */
public final class Preload {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Preload() {
    }

    /** Returns producer settings for bulk writes: idempotent, acks=all, lz4, large batches. */
    public static Properties producerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        return properties;
    }

    /** Returns a producer of request events keyed by user id, with the Avro serde of the topic catalogue. */
    public static Producer<String, TokenRequest> requestProducer(BenchStack stack, Properties properties) {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
        return new KafkaProducer<>(properties, new StringSerializer(),
            Topics.TOKEN_REQUESTS.valueSerde(registry).serializer());
    }

    /**
     * Sends {@code count} requests of the corpus spread over {@code users} users, request {@code i} with event
     * time {@code timestamps.apply(i)}, and waits until every one is acknowledged.
     *
     * @return the time the writes took
     */
    public static Duration requests(BenchStack stack, RequestCorpus corpus, long count, int users,
                                    LongFunction<Instant> timestamps) throws InterruptedException {
        return requests(stack, count, i -> corpus.request(i, users, timestamps.apply(i)));
    }

    /**
     * Sends requests {@code 0} to {@code count - 1} made by {@code requests}, keyed by user id, and waits until
     * every one is acknowledged.
     *
     * @return the time the writes took
     */
    public static Duration requests(BenchStack stack, long count, LongFunction<TokenRequest> requests)
        throws InterruptedException {
        long started = System.nanoTime();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        try (Producer<String, TokenRequest> producer =
                 requestProducer(stack, producerProperties(stack.bootstrapServers()))) {
            for (long i = 0; i < count; i++) {
                TokenRequest request = requests.apply(i);
                producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), request.getUserId(), request),
                    (metadata, error) -> {
                        if (error != null) {
                            firstError.compareAndSet(null, error);
                        }
                    });
            }
            producer.flush();
        }
        if (firstError.get() != null) {
            throw new IllegalStateException("Failed to preload the requests", firstError.get());
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Returns the sum of the end offsets of {@code topic}'s partitions: its record count for a topic written
     * without transactions. In a transactional topic every commit or abort marker also takes an offset.
     */
    public static long endOffsetSum(String bootstrapServers, String topic)
        throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            List<TopicPartition> partitions = new ArrayList<>();
            description.partitions().forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
            long sum = 0;
            for (var offset : admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .values()) {
                sum += offset.offset();
            }
            return sum;
        }
    }
}
