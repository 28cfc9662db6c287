package io.tokenmonitor.stack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicSetupTest {

    private EmbeddedKafkaBroker broker;
    private Admin admin;

    @BeforeAll
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder().build().start();
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

    /** The only test that creates the catalogue's topics, so they do not exist before it runs. */
    @Test
    void createProductTopicsCreatesEveryCatalogueTopic() throws Exception {
        List<String> created = TopicSetup.createProductTopics(broker.bootstrapServers(), 2, (short) 1,
            KafkaTestClients.TIMEOUT);

        List<String> expected = Topics.all().stream().map(Topic::name).sorted().toList();
        assertEquals(expected, created.stream().sorted().toList());
        for (Topic<?> topic : Topics.all()) {
            TopicDescription description = describe(topic.name());
            assertEquals(2, description.partitions().size(), topic.name());
            String expectedPolicy = topic.compacted()
                ? TopicConfig.CLEANUP_POLICY_COMPACT
                : TopicConfig.CLEANUP_POLICY_DELETE;
            assertEquals(expectedPolicy, cleanupPolicy(topic.name()), topic.name());
        }
    }

    @Test
    void compactedTopicGetsCompactPolicy() throws Exception {
        String compacted = KafkaTestClients.uniqueTopicName("compacted");
        String plain = KafkaTestClients.uniqueTopicName("plain");
        List<Topic<?>> topics = List.of(new Topic<>(compacted, byte[].class, true), new Topic<>(plain, byte[].class, false));

        TopicSetup.createTopics(admin, topics, 1, (short) 1, KafkaTestClients.TIMEOUT);

        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanupPolicy(compacted));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanupPolicy(plain));
    }

    @Test
    void existingTopicIsLeftUnchanged() throws Exception {
        String name = KafkaTestClients.uniqueTopicName("existing");
        List<Topic<?>> topics = List.of(new Topic<>(name, byte[].class, false));

        List<String> firstRun = TopicSetup.createTopics(admin, topics, 2, (short) 1, KafkaTestClients.TIMEOUT);
        List<String> secondRun = TopicSetup.createTopics(admin, topics, 4, (short) 1, KafkaTestClients.TIMEOUT);

        assertEquals(List.of(name), firstRun);
        assertEquals(List.of(), secondRun);
        assertEquals(2, describe(name).partitions().size());
    }

    @Test
    void createdTopicsHaveLeaders() throws Exception {
        String name = KafkaTestClients.uniqueTopicName("leaders");

        TopicSetup.createTopics(admin, List.of(new Topic<>(name, byte[].class, false)), 6, (short) 1,
            KafkaTestClients.TIMEOUT);

        TopicDescription description = describe(name);
        assertEquals(6, description.partitions().size());
        description.partitions().forEach(partition ->
            assertEquals(EmbeddedKafkaBroker.NODE_ID, partition.leader().id(), "partition " + partition.partition()));
    }

    @Test
    void replicationFactorAboveBrokerCountFails() {
        String name = KafkaTestClients.uniqueTopicName("replicated");
        List<Topic<?>> topics = List.of(new Topic<>(name, byte[].class, false));

        IllegalStateException error = assertThrows(IllegalStateException.class,
            () -> TopicSetup.createTopics(admin, topics, 1, (short) 3, KafkaTestClients.TIMEOUT));

        assertTrue(error.getMessage().contains("Creating topic " + name + " failed"), error.getMessage());
    }

    @Test
    void invalidCountsAreRejected() {
        List<Topic<?>> topics = List.of(new Topic<>("never-created", byte[].class, false));

        assertThrows(IllegalArgumentException.class,
            () -> TopicSetup.createTopics(admin, topics, 0, (short) 1, KafkaTestClients.TIMEOUT));
        assertThrows(IllegalArgumentException.class,
            () -> TopicSetup.createTopics(admin, topics, 1, (short) 0, KafkaTestClients.TIMEOUT));
    }

    @Test
    void silentClusterTimesOutWithAddress() throws Exception {
        // A socket that accepts connections but never responds simulates an unreachable cluster.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + silent.getLocalPort();
            long startNanos = System.nanoTime();

            IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> TopicSetup.createProductTopics(address, 1, (short) 1, Duration.ofSeconds(2)));

            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            assertTrue(error.getMessage().contains("timed out"), error.getMessage());
            assertTrue(error.getMessage().contains(address), error.getMessage());
            assertTrue(elapsedMs < 15_000, "took " + elapsedMs + " ms");
        }
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
        return configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
