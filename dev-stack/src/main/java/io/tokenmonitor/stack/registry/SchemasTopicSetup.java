package io.tokenmonitor.stack.registry;

import io.tokenmonitor.stack.kafka.TopicSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry's topic {@value KafkaSchemaJournal#TOPIC}, or checks an existing one. The topic needs
 * one partition, so that every change has one order, and {@code cleanup.policy=compact}, so that no version
 * is ever removed by retention.
 */
final class SchemasTopicSetup {

    private static final Logger log = LoggerFactory.getLogger(SchemasTopicSetup.class);

    private SchemasTopicSetup() {
    }

    /**
     * Creates the topic if it is missing and waits for its leader.
     *
     * @throws IllegalStateException if creating or describing the topic fails or times out, or the existing
     *     topic has more than one partition or another cleanup policy
     */
    static void ensureTopic(String bootstrapServers, short replicationFactor, Duration timeout) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Invalid replication factor " + replicationFactor + ". Use 1 or more.");
        }
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> adminConfig = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        NewTopic newTopic = new NewTopic(KafkaSchemaJournal.TOPIC, 1, replicationFactor)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        try (Admin admin = Admin.create(adminConfig)) {
            List<String> created = TopicSetup.createNewTopics(admin, List.of(newTopic), timeout);
            if (!created.isEmpty()) {
                log.info("Created topic {} with 1 partition, replication factor {} and cleanup.policy=compact",
                    KafkaSchemaJournal.TOPIC, replicationFactor);
                return;
            }
            checkExistingTopic(admin, timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Describing topic " + KafkaSchemaJournal.TOPIC + " on " + bootstrapServers
                + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Describing topic " + KafkaSchemaJournal.TOPIC + " on " + bootstrapServers
                + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topic " + KafkaSchemaJournal.TOPIC, e);
        }
    }

    private static void checkExistingTopic(Admin admin, Duration timeout)
        throws ExecutionException, InterruptedException, TimeoutException {
        String topic = KafkaSchemaJournal.TOPIC;
        TopicDescription description = admin.describeTopics(Set.of(topic)).topicNameValues().get(topic)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int partitions = description.partitions().size();
        if (partitions != 1) {
            throw new IllegalStateException("Topic " + topic + " has " + partitions + " partitions, but the Schema"
                + " Registry needs exactly 1 so that every change has one order. Delete the topic and restart;"
                + " the registry then creates it, but the schemas stored in it are lost.");
        }

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(Set.of(resource)).values().get(resource)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ConfigEntry cleanupPolicy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String policy = cleanupPolicy == null ? null : cleanupPolicy.value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
            throw new IllegalStateException("Topic " + topic + " has cleanup.policy=" + policy + ", but the Schema"
                + " Registry needs cleanup.policy=compact so that retention never deletes a schema. Set it with"
                + " kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                + " --add-config cleanup.policy=compact");
        }
        log.info("Topic {} already exists with 1 partition and cleanup.policy=compact", topic);
    }
}
