package io.tokenmonitor.stack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.topics.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Tests of one running broker, shared by the tests because a start takes about 3 s in a fresh JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedKafkaBrokerTest {

    private static final int DEFAULT_PARTITIONS = 3;

    private EmbeddedKafkaBroker broker;
    private Admin admin;

    @BeforeAll
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder()
            .defaultPartitions(DEFAULT_PARTITIONS)
            .brokerProperty("log.retention.hours", "48")
            // Fewer partitions than the default 50 make the first transaction and group join about 1.5 s faster.
            .brokerProperty("offsets.topic.num.partitions", "5")
            .brokerProperty("transaction.state.log.num.partitions", "5")
            .build()
            .start();
        admin = KafkaTestClients.admin(broker.bootstrapServers());
    }

    @AfterAll
    void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readCommittedConsumerSkipsAbortedTransaction() throws Exception {
        String topic = KafkaTestClients.uniqueTopicName("transactions");
        TopicSetup.createTopics(admin, List.of(new Topic<>(topic, byte[].class, false)), 1, (short) 1,
            KafkaTestClients.TIMEOUT);

        try (KafkaProducer<String, String> producer =
                 KafkaTestClients.producer(broker.bootstrapServers(), "tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "user-1", "committed"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "user-1", "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "user-1", "committed after abort"));
            producer.commitTransaction();
        }

        List<String> committed = KafkaTestClients.readValues(broker.bootstrapServers(), topic, "read_committed", 2);
        assertEquals(List.of("committed", "committed after abort"), committed);

        // The aborted record is in the log, so only the isolation level hid it above.
        List<String> uncommitted = KafkaTestClients.readValues(broker.bootstrapServers(), topic, "read_uncommitted", 3);
        assertEquals(List.of("committed", "aborted", "committed after abort"), uncommitted);
    }

    @Test
    void bootstrapServersNamesLoopbackAndPort() {
        assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());
        assertTrue(broker.port() > 0, "port " + broker.port());
    }

    @Test
    void clusterAdvertisesOnlyLoopbackAddress() throws Exception {
        List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));

        assertEquals(1, nodes.size(), "nodes " + nodes);
        assertEquals("127.0.0.1", nodes.get(0).host());
        assertEquals(broker.port(), nodes.get(0).port());
    }

    @Test
    void listenersBindOnlyLoopbackAddress() throws Exception {
        Config config = brokerConfig();
        String listeners = config.get("listeners").value();
        List<Integer> ports = new ArrayList<>();
        for (String listener : listeners.split(",")) {
            String hostAndPort = listener.substring(listener.indexOf("://") + 3);
            assertEquals("127.0.0.1", hostAndPort.substring(0, hostAndPort.lastIndexOf(':')), listener);
            ports.add(Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1)));
        }
        assertEquals(2, ports.size(), "listeners " + listeners);
        assertTrue(ports.contains(broker.port()), "listeners " + listeners);

        // The kernel's socket table shows the address each listening socket is bound to.
        for (int port : ports) {
            assertEquals(Set.of("127.0.0.1"), ListeningSockets.boundAddresses(port), "port " + port);
        }
    }

    @Test
    void brokerGetsConfiguredSettings() throws Exception {
        Config config = brokerConfig();

        assertEquals("false", config.get("auto.create.topics.enable").value());
        assertEquals("1", config.get("offsets.topic.replication.factor").value());
        assertEquals("1", config.get("transaction.state.log.replication.factor").value());
        assertEquals("1", config.get("transaction.state.log.min.isr").value());
        assertEquals("0", config.get("group.initial.rebalance.delay.ms").value());
        assertEquals("48", config.get("log.retention.hours").value());
    }

    @Test
    void topicWithoutPartitionCountGetsDefaultPartitions() throws Exception {
        String topic = KafkaTestClients.uniqueTopicName("default-partitions");
        admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
            .all().get(30, TimeUnit.SECONDS);

        int partitions = KafkaTestClients.describeOnceKnown(admin, topic).partitions().size();
        assertEquals(DEFAULT_PARTITIONS, partitions);
    }

    @Test
    void startOfRunningBrokerIsRejected() {
        IllegalStateException error = assertThrows(IllegalStateException.class, broker::start);
        assertTrue(error.getMessage().contains("already running"), error.getMessage());
    }

    @Test
    void dataDirectoryIsFormatted() throws IOException {
        Path metaProperties = broker.dataDirectory().resolve(KafkaStorage.META_PROPERTIES);

        assertTrue(Files.exists(metaProperties), metaProperties + " missing");
        assertTrue(Files.readString(metaProperties).contains("cluster.id=" + broker.clusterId()),
            Files.readString(metaProperties));
    }

    private Config brokerConfig() throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER,
            Integer.toString(EmbeddedKafkaBroker.NODE_ID));
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }
}
