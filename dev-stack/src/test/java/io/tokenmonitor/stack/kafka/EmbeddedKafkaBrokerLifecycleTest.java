package io.tokenmonitor.stack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.topics.Topic;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of starting, stopping and restarting brokers, each test with its own broker. */
class EmbeddedKafkaBrokerLifecycleTest {

    @Test
    void restartKeepsRecordsAndClusterId(@TempDir Path dataDirectory) throws Exception {
        String topic = KafkaTestClients.uniqueTopicName("restart");
        String firstClusterId;

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(dataDirectory).build()) {
            broker.start();
            firstClusterId = broker.clusterId();
            try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
                TopicSetup.createTopics(admin, List.of(new Topic<>(topic, byte[].class, false)), 1, (short) 1,
                    KafkaTestClients.TIMEOUT);
            }
            try (KafkaProducer<String, String> producer =
                     KafkaTestClients.producer(broker.bootstrapServers(), "tx-" + topic)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "user-1", "kept across restarts"));
                producer.commitTransaction();
            }
        }
        assertTrue(Files.exists(dataDirectory.resolve(KafkaStorage.META_PROPERTIES)), "data directory was deleted");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(dataDirectory).build()) {
            broker.start();

            assertEquals(firstClusterId, broker.clusterId());
            List<String> values = KafkaTestClients.readValues(broker.bootstrapServers(), topic, "read_committed", 1);
            assertEquals(List.of("kept across restarts"), values);
        }
    }

    @Test
    void closeDeletesTemporaryDataDirectory() {
        Path dataDirectory;
        // A start timeout below the admin client's default request timeout of 30 s must work too.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().startTimeout(Duration.ofSeconds(20)).build()) {
            broker.start();
            dataDirectory = broker.dataDirectory();
            assertTrue(Files.exists(dataDirectory.resolve(KafkaStorage.META_PROPERTIES)),
                "no meta.properties in " + dataDirectory);
            broker.close();

            assertFalse(Files.exists(dataDirectory), dataDirectory + " still exists");
        }
    }

    @Test
    void startOnTakenPortFailsAndCleansUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build();
            Set<Path> before = temporaryDataDirectories();

            IllegalStateException error = assertThrows(IllegalStateException.class, broker::start);

            assertTrue(error.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), error.getMessage());
            assertTrue(error.getMessage().contains("Address already in use"), error.getMessage());
            Set<Path> leftBehind = new HashSet<>(temporaryDataDirectories());
            leftBehind.removeAll(before);
            assertEquals(Set.of(), leftBehind, "temporary data directories left behind");
            assertThrows(IllegalStateException.class, broker::bootstrapServers);
        }
    }

    @Test
    void startPastTimeoutFailsAndCleansUp() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().startTimeout(Duration.ofMillis(1)).build();
        Set<Path> before = temporaryDataDirectories();

        IllegalStateException error = assertThrows(IllegalStateException.class, broker::start);

        assertTrue(error.getMessage().contains("within 1 ms"), error.getMessage());
        Set<Path> leftBehind = new HashSet<>(temporaryDataDirectories());
        leftBehind.removeAll(before);
        assertEquals(Set.of(), leftBehind, "temporary data directories left behind");
    }

    @Test
    void closeBeforeStartDoesNothing() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();

        broker.close();
        broker.close();

        assertThrows(IllegalStateException.class, broker::start);
    }

    @Test
    void builderRejectsManagedAndInvalidSettings() {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.brokerProperty("listeners", "PLAINTEXT://:9092"));
        assertThrows(IllegalArgumentException.class, () -> builder.brokerProperty("log.dirs", "/tmp/elsewhere"));
        assertThrows(IllegalArgumentException.class, () -> builder.port(-1));
        assertThrows(IllegalArgumentException.class, () -> builder.port(65_536));
        assertThrows(IllegalArgumentException.class, () -> builder.defaultPartitions(0));
        assertThrows(IllegalArgumentException.class, () -> builder.startTimeout(Duration.ZERO));
    }

    private static Set<Path> temporaryDataDirectories() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("token-monitor-kafka-"))
                .collect(Collectors.toSet());
        }
    }
}
