package io.tokenmonitor.stack.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenmonitor.processor.lifecycle.InputLag;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link InputLag} against a real broker, with a committed offset on one partition and none on the other. */
@Timeout(120)
class InputLagTest {

    private static final String TOPIC = "input-lag-test";
    private static final String GROUP = "input-lag-group";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void shouldSumLagFromCommittedOrStartOffsets() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).build().start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                 broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicPartition first = new TopicPartition(TOPIC, 0);
            TopicPartition second = new TopicPartition(TOPIC, 1);
            produce(broker.bootstrapServers(), 0, 10);
            produce(broker.bootstrapServers(), 1, 4);
            InputLag lag = new InputLag(admin, GROUP, () -> Set.of(first, second), TIMEOUT);

            assertEquals(14, lag.records(), "nothing committed: both partitions count from their start");

            admin.alterConsumerGroupOffsets(GROUP, Map.of(first, new OffsetAndMetadata(3))).all()
                .get(30, TimeUnit.SECONDS);
            assertEquals(7 + 4, lag.records());

            admin.alterConsumerGroupOffsets(GROUP, Map.of(first, new OffsetAndMetadata(10),
                second, new OffsetAndMetadata(4))).all().get(30, TimeUnit.SECONDS);
            assertEquals(0, lag.records());

            InputLag none = new InputLag(admin, GROUP, Set::of, TIMEOUT);
            assertEquals(0, none.records(), "an instance without partitions has no lag");
        }
    }

    private static void produce(String bootstrapServers, int partition, int count) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Instant timestamp = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
            new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, partition, timestamp.toEpochMilli(), "key", "value-" + i));
            }
            producer.flush();
        }
    }
}
