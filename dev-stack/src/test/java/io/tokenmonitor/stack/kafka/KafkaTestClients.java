package io.tokenmonitor.stack.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producers and consumers of string records for the broker tests. */
final class KafkaTestClients {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTestClients() {
    }

    /** Returns an admin client of the cluster at {@code bootstrapServers}. */
    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Describes {@code topic}, retrying while the broker reports it as unknown. A new topic reaches the broker's
     * metadata cache shortly after {@code createTopics} returns.
     */
    static TopicDescription describeOnceKnown(Admin admin, String topic) throws Exception {
        long deadlineNanos = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Returns an idempotent producer, transactional when {@code transactionalId} is not null. */
    static KafkaProducer<String, String> producer(String bootstrapServers, String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis()));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads the values of {@code topic} from the beginning, in a new consumer group, until {@code expectedCount}
     * values arrived or {@link #TIMEOUT} passed, and returns what arrived.
     *
     * @param isolationLevel "read_committed" or "read_uncommitted"
     */
    static List<String> readValues(String bootstrapServers, String topic, String isolationLevel, int expectedCount) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        List<String> values = new ArrayList<>();
        long deadlineNanos = System.nanoTime() + TIMEOUT.toNanos();

        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (values.size() < expectedCount && System.nanoTime() < deadlineNanos) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** Returns a topic name that no other test uses. */
    static String uniqueTopicName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
