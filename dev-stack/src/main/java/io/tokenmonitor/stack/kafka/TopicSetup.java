package io.tokenmonitor.stack.kafka;

import io.tokenmonitor.kafka.KafkaClientSettings;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the product's topics on a Kafka cluster, the embedded broker or a remote one. Topics that already exist
 * are left unchanged, so running it again is safe.
 */
public final class TopicSetup {

    /** A default time limit for creating topics and waiting for their leaders. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final long LEADER_POLL_INTERVAL_MS = 100;

    /**
     * The time limit for closing an admin client. With kafka-clients 4.4.0, {@code Admin.close()} without one was
     * seen to block forever after requests to a server that never responded had timed out.
     */
    static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private TopicSetup() {
    }

    /**
     * Creates every topic of {@link Topics#all()} on the cluster at {@code bootstrapServers} with a short-lived
     * admin client and no further client settings.
     *
     * @return the names of the topics that were created, without those that already existed
     * @throws IllegalStateException when a topic cannot be created or has no leader within {@code timeout}
     */
    public static List<String> createProductTopics(String bootstrapServers, int partitions, short replicationFactor,
                                                   Duration timeout) {
        return createProductTopics(bootstrapServers, KafkaClientSettings.none(), partitions, replicationFactor,
            timeout);
    }

    /**
     * Creates every topic of {@link Topics#all()} on the cluster at {@code bootstrapServers} with a short-lived
     * admin client that also gets {@code clientSettings}, for example security settings.
     *
     * @return the names of the topics that were created, without those that already existed
     * @throws IllegalArgumentException when {@code clientSettings} set bootstrap.servers
     * @throws IllegalStateException when a topic cannot be created or has no leader within {@code timeout}
     */
    public static List<String> createProductTopics(String bootstrapServers, KafkaClientSettings clientSettings,
                                                   int partitions, short replicationFactor, Duration timeout) {
        // The admin client rejects a default API timeout below the request timeout, so both get the time limit.
        // The pass-through settings may replace them.
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs(timeout));
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs(timeout));
        Admin admin = Admin.create(clientSettings.applyTo(adminConfig, List.of()));
        try {
            return createTopics(admin, Topics.all(), partitions, replicationFactor, timeout);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (cluster " + bootstrapServers + ")", e);
        } finally {
            admin.close(ADMIN_CLOSE_TIMEOUT);
        }
    }

    /**
     * Creates the given topics with {@code partitions} partitions and {@code replicationFactor} replicas each,
     * and waits until every partition of every topic has a leader. Compacted topics get
     * {@code cleanup.policy=compact}. Topics that already exist keep their partitions and settings.
     *
     * @param admin a client of the target cluster, which this method does not close
     * @return the names of the topics that were created, without those that already existed
     * @throws IllegalArgumentException when {@code partitions} or {@code replicationFactor} is less than 1
     * @throws IllegalStateException when a topic cannot be created or has no leader within {@code timeout}
     */
    public static List<String> createTopics(Admin admin, Collection<Topic<?>> topics, int partitions,
                                            short replicationFactor, Duration timeout) {
        if (partitions < 1) {
            throw new IllegalArgumentException("Invalid partition count " + partitions + ". Use 1 or more.");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Invalid replication factor " + replicationFactor + ". Use 1 or more.");
        }

        List<NewTopic> newTopics = new ArrayList<>();
        for (Topic<?> topic : topics) {
            newTopics.add(newTopic(topic, partitions, replicationFactor));
        }
        List<String> created = createNewTopics(admin, newTopics, timeout);

        if (!created.isEmpty()) {
            log.info("Created topics {} with {} partitions and replication factor {}",
                created, partitions, replicationFactor);
        }
        List<String> existing = new ArrayList<>();
        for (NewTopic newTopic : newTopics) {
            if (!created.contains(newTopic.name())) {
                existing.add(newTopic.name());
            }
        }
        if (!existing.isEmpty()) {
            log.info("Topics {} already exist and were left unchanged", existing);
        }
        return created;
    }

    /**
     * Creates topics with the partitions, replicas and settings of each {@link NewTopic}, and waits until every
     * partition of every topic has a leader. Topics that already exist keep their partitions and settings. Unlike
     * {@link #createTopics(Admin, Collection, int, short, Duration)} this logs nothing, so callers log the outcome.
     *
     * @param admin a client of the target cluster, which this method does not close
     * @return the names of the topics that were created, without those that already existed
     * @throws IllegalStateException when a topic cannot be created or has no leader within {@code timeout}
     */
    public static List<String> createNewTopics(Admin admin, Collection<NewTopic> newTopics, Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        CreateTopicsOptions options = new CreateTopicsOptions().timeoutMs(timeoutMs(timeout));
        Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics, options).values();

        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            boolean wasCreated = awaitCreation(result.getKey(), result.getValue(), deadlineNanos, timeout);
            if (wasCreated) {
                created.add(result.getKey());
            }
        }
        awaitLeaders(admin, results.keySet(), deadlineNanos, timeout);
        return created;
    }

    private static NewTopic newTopic(Topic<?> topic, int partitions, short replicationFactor) {
        NewTopic newTopic = new NewTopic(topic.name(), Optional.of(partitions), Optional.of(replicationFactor));
        if (topic.compacted()) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return newTopic;
    }

    /** Returns true when the topic was created and false when it already existed. */
    private static boolean awaitCreation(String topic, KafkaFuture<Void> result, long deadlineNanos,
                                         Duration timeout) {
        try {
            result.get(remainingMs(deadlineNanos), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw creationTimedOut(topic, timeout, e.getCause());
            }
            throw new IllegalStateException("Creating topic " + topic + " failed: " + e.getCause().getMessage(),
                e.getCause());
        } catch (TimeoutException e) {
            throw creationTimedOut(topic, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader. A broker learns of a new topic from the controller's
     * metadata log, so for a short time after creation it may still report the topic as unknown.
     */
    private static void awaitLeaders(Admin admin, Collection<String> topics, long deadlineNanos, Duration timeout) {
        List<String> pending = new ArrayList<>(topics);
        while (!pending.isEmpty()) {
            pending = topicsWithoutLeaders(admin, pending, deadlineNanos, timeout);
            if (pending.isEmpty()) {
                return;
            }
            if (remainingMs(deadlineNanos) <= LEADER_POLL_INTERVAL_MS) {
                throw new IllegalStateException("Topics " + pending + " still had partitions without a leader "
                    + timeout.toMillis() + " ms after creation started. Check that the cluster's brokers are"
                    + " running, or raise the timeout.");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(LEADER_POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the leaders of topics " + pending, e);
            }
        }
    }

    private static List<String> topicsWithoutLeaders(Admin admin, List<String> topics, long deadlineNanos,
                                                     Duration timeout) {
        DescribeTopicsOptions options = new DescribeTopicsOptions().timeoutMs(remainingMs(deadlineNanos));
        Map<String, KafkaFuture<TopicDescription>> descriptions = admin.describeTopics(topics, options)
            .topicNameValues();

        List<String> withoutLeaders = new ArrayList<>();
        for (String topic : topics) {
            try {
                TopicDescription description = descriptions.get(topic)
                    .get(remainingMs(deadlineNanos), TimeUnit.MILLISECONDS);
                boolean allLed = description.partitions().stream()
                    .map(TopicPartitionInfo::leader)
                    .allMatch(leader -> leader != null && !leader.isEmpty());
                if (!allLed) {
                    withoutLeaders.add(topic);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    withoutLeaders.add(topic);
                    continue;
                }
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw creationTimedOut(topic, timeout, e.getCause());
                }
                throw new IllegalStateException("Describing topic " + topic + " after creating it failed: "
                    + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw creationTimedOut(topic, timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while describing topic " + topic, e);
            }
        }
        return withoutLeaders;
    }

    private static IllegalStateException creationTimedOut(String topic, Duration timeout, Throwable cause) {
        return new IllegalStateException("Creating topic " + topic + " timed out after " + timeout.toMillis()
            + " ms. Check that the Kafka cluster is reachable, or raise the timeout.", cause);
    }

    private static int remainingMs(long deadlineNanos) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining));
    }

    private static int timeoutMs(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }
}
