package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.alerts.webhook.ExponentialBackoff;
import io.tokenmonitor.agent.alerts.webhook.UndeliverableHeaders;
import io.tokenmonitor.agent.alerts.webhook.WebhookClient;
import io.tokenmonitor.agent.alerts.webhook.WebhookDispatcher;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.ScriptedWebhookReceiver.Reply;
import io.tokenmonitor.stack.ScriptedWebhookReceiver.Request;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook subscriber against a real in-process broker and a local HTTP receiver that fails, hangs,
 * restarts and rejects. Every alert is delivered at least once and processed once by a receiver that
 * honours the idempotency key. Offsets are committed only after delivery, and alerts that keep failing
 * go to the undeliverable topic after the give-up time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RECEIVER_OUTAGE = Duration.ofSeconds(1);
    private static final Instant ALERT_TIME = Instant.parse("2026-12-04T10:00:00Z");
    private static final int PARTITIONS = 3;

    private EmbeddedKafkaBroker broker;
    private Admin admin;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @BeforeAll
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(PARTITIONS).build().start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDeliverThroughFailuresAndCrash() throws Exception {
        String alertsTopic = createTopic("alerts", PARTITIONS);
        String undeliverableTopic = createTopic("undeliverable", PARTITIONS);
        String group = "webhook-" + UUID.randomUUID();
        Map<String, TopicPartitionOffset> alerts = produceAlerts(alertsTopic, "alert", 30, true);
        produceAlerts(alertsTopic, "aborted", 3, false);
        List<Reply> script = List.of(Reply.SERVER_ERROR, Reply.SERVER_ERROR, Reply.SERVER_ERROR,
            Reply.PROCESS_THEN_HANG);

        try (ScriptedWebhookReceiver receiver = new ScriptedWebhookReceiver(script, Reply.OK).start()) {
            try (Subscriber first = new Subscriber(alertsTopic, undeliverableTopic, group, receiver.url(),
                Duration.ofMinutes(5))) {
                await(() -> receiver.processedCount() >= 8, "8 alerts processed before the receiver restarts");
                receiver.stop();
                assertCommittedOnlyAcknowledged(group, alerts, receiver);
                // The receiver stays down for a while, so that attempts fail with a refused connection.
                Thread.sleep(RECEIVER_OUTAGE.toMillis());
                receiver.start();

                await(() -> receiver.processedCount() >= 16, "16 alerts processed before the subscriber crashes");
                first.crash();
                assertNull(first.failure(), "the first subscriber should end without an exception");
            }
            assertCommittedOnlyAcknowledged(group, alerts, receiver);

            try (Subscriber second = new Subscriber(alertsTopic, undeliverableTopic, group, receiver.url(),
                Duration.ofMinutes(5))) {
                await(() -> receiver.processedCount() >= alerts.size(), "every alert processed");
                second.stop();
                assertNull(second.failure(), "the second subscriber should end without an exception");
            }

            assertEquals(alerts.keySet(), receiver.processedAlerts().keySet());
            receiver.processedAlerts().forEach((alertId, count) ->
                assertEquals(1, count, "processed count of " + alertId));
            assertTrue(receiver.acknowledgedAlerts().containsAll(alerts.keySet()), "every alert acknowledged");
            assertRequestsCarryAlertIds(receiver.requests(), alerts.keySet());
            assertTrue(allCommitted(group, alerts), "every alert committed at the end: " + committedOffsets(group));
            assertTrue(readAll(undeliverableTopic).isEmpty(), "no alert should be undeliverable");

            Map<String, Integer> attemptsPerAlert = new HashMap<>();
            receiver.requests().forEach(request -> attemptsPerAlert.merge(request.bodyAlertId(), 1, Integer::sum));
            String firstAlert = receiver.requests().get(0).bodyAlertId();
            assertTrue(attemptsPerAlert.get(firstAlert) >= 5,
                "the first alert should be retried through 3 errors and a hang: " + attemptsPerAlert.get(firstAlert));
        }
    }

    @Test
    void shouldWriteUndeliverableAfterGiveUp() throws Exception {
        String alertsTopic = createTopic("alerts", 1);
        String undeliverableTopic = createTopic("undeliverable", 1);
        String group = "webhook-" + UUID.randomUUID();
        Map<String, TopicPartitionOffset> alerts = produceAlerts(alertsTopic, "failing", 3, true);
        Duration giveUpAfter = Duration.ofMillis(1500);

        try (ScriptedWebhookReceiver receiver = new ScriptedWebhookReceiver(List.of(Reply.NOT_FOUND),
            Reply.UNAVAILABLE).start()) {
            List<ConsumerRecord<String, UsageAlert>> undeliverable;
            try (Subscriber subscriber = new Subscriber(alertsTopic, undeliverableTopic, group, receiver.url(),
                giveUpAfter)) {
                undeliverable = readUntil(undeliverableTopic, alerts.size());
                await(() -> allCommitted(group, alerts), "offsets committed after the undeliverable writes");
                assertNull(subscriber.failure());
            }

            assertEquals(alerts.size(), undeliverable.size());
            assertTrue(receiver.processedAlerts().isEmpty(), "the receiver should have processed nothing");
            Map<String, ConsumerRecord<String, UsageAlert>> byAlertId = new HashMap<>();
            undeliverable.forEach(record -> byAlertId.put(record.value().getAlertId(), record));
            assertEquals(alerts.keySet(), byAlertId.keySet());

            ConsumerRecord<String, UsageAlert> rejected = byAlertId.get(receiver.requests().get(0).bodyAlertId());
            assertEquals(UndeliverableHeaders.REASON_REJECTED, header(rejected, UndeliverableHeaders.REASON));
            assertEquals("404", header(rejected, UndeliverableHeaders.LAST_STATUS));
            assertEquals("1", header(rejected, UndeliverableHeaders.ATTEMPTS));

            for (ConsumerRecord<String, UsageAlert> record : undeliverable) {
                UsageAlert alert = record.value();
                TopicPartitionOffset source = alerts.get(alert.getAlertId());
                assertEquals(alert.getUserId(), record.key());
                assertEquals(alertsTopic, header(record, UndeliverableHeaders.SOURCE_TOPIC));
                assertEquals(Long.toString(source.offset()), header(record, UndeliverableHeaders.SOURCE_OFFSET));
                if (record == rejected) {
                    continue;
                }
                assertEquals(UndeliverableHeaders.REASON_RETRIES_EXHAUSTED,
                    header(record, UndeliverableHeaders.REASON));
                assertEquals("503", header(record, UndeliverableHeaders.LAST_STATUS));
                assertTrue(Integer.parseInt(header(record, UndeliverableHeaders.ATTEMPTS)) >= 2,
                    "attempts of " + alert.getAlertId());
                Instant first = Instant.parse(header(record, UndeliverableHeaders.FIRST_ATTEMPT_AT));
                Instant gaveUp = Instant.parse(header(record, UndeliverableHeaders.GAVE_UP_AT));
                assertTrue(Duration.between(first, gaveUp).compareTo(giveUpAfter) >= 0,
                    "gave up " + Duration.between(first, gaveUp) + " after the first attempt");
            }
        }
    }

    @Test
    void shouldResumeGroupFromCommandLine() throws Exception {
        String group = "webhook-cli-" + UUID.randomUUID();
        TopicSetup.createTopics(admin, List.of(Topics.USAGE_ALERTS, Topics.USAGE_ALERTS_UNDELIVERABLE), PARTITIONS,
            (short) 1, WAIT);
        Map<String, TopicPartitionOffset> before = produceAlerts(Topics.USAGE_ALERTS.name(), "cli-before", 4, true);

        try (SchemaRegistryServer registryServer = new SchemaRegistryServer("127.0.0.1", 0, registry).start();
             ScriptedWebhookReceiver receiver = new ScriptedWebhookReceiver(List.of(Reply.SERVER_ERROR), Reply.OK)
                 .start()) {
            String[] arguments = {"alerts", "--webhook", receiver.url(), "--group", group, "--from-beginning",
                "--max-alerts", "4", "--timeout", "60s", "--retry-initial", "50ms", "--retry-max", "200ms",
                "--attempt-timeout", "2s", "--bootstrap-servers", broker.bootstrapServers(),
                "--schema-registry-url", registryServer.url()};
            String log;
            try (CapturedOutput output = new CapturedOutput()) {
                assertEquals(AgentCommand.EXIT_OK, AgentCommand.run(arguments));
                log = output.stderr();
            }
            assertTrue(log.contains("Attempt 1 to deliver alert"), log);
            assertTrue(log.contains("status 500"), log);
            assertFalse(log.contains("secret-in-query"), "the log should not contain the URL's query");
            Set<String> beforeIds = new HashSet<>(before.keySet());
            assertTrue(receiver.processedAlerts().keySet().containsAll(beforeIds), "the alerts written before");

            Map<String, TopicPartitionOffset> after = produceAlerts(Topics.USAGE_ALERTS.name(), "cli-after", 2, true);
            arguments[7] = "2";
            assertEquals(AgentCommand.EXIT_OK, AgentCommand.run(arguments));
            Set<String> expected = new HashSet<>(beforeIds);
            expected.addAll(after.keySet());
            assertEquals(expected, receiver.processedAlerts().keySet(), "the second run resumes the group");
        }
    }

    /** Checks that every alert below a committed offset got a 200 response from the receiver. */
    private void assertCommittedOnlyAcknowledged(String group, Map<String, TopicPartitionOffset> alerts,
                                                 ScriptedWebhookReceiver receiver) throws Exception {
        Map<TopicPartition, Long> committed = committedOffsets(group);
        Set<String> acknowledged = receiver.acknowledgedAlerts();
        int covered = 0;
        for (Map.Entry<String, TopicPartitionOffset> alert : alerts.entrySet()) {
            Long offset = committed.get(alert.getValue().partition());
            if (offset != null && alert.getValue().offset() < offset) {
                covered++;
                assertTrue(acknowledged.contains(alert.getKey()),
                    alert.getKey() + " at " + alert.getValue() + " is committed (" + offset + ") but not delivered");
            }
        }
        assertTrue(covered <= acknowledged.size(), covered + " committed, " + acknowledged.size() + " delivered");
    }

    /** Returns whether the group's committed offsets are past every alert; transaction markers may follow. */
    private boolean allCommitted(String group, Map<String, TopicPartitionOffset> alerts) {
        Map<TopicPartition, Long> committed = committedOffsets(group);
        return alerts.values().stream().allMatch(alert ->
            committed.getOrDefault(alert.partition(), 0L) > alert.offset());
    }

    private static void assertRequestsCarryAlertIds(List<Request> requests, Set<String> alertIds) {
        for (Request request : requests) {
            assertEquals(request.bodyAlertId(), request.idempotencyKey(), "Idempotency-Key of " + request);
            assertEquals("application/json", request.contentType(), "Content-Type of " + request);
            assertTrue(alertIds.contains(request.bodyAlertId()), "unexpected alert " + request.bodyAlertId());
            assertFalse(request.bodyAlertId().startsWith("aborted"), "aborted alert delivered: " + request);
        }
    }

    private String createTopic(String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TopicSetup.createTopics(admin, List.of(new Topic<>(name, UsageAlert.class, false)), partitions, (short) 1,
            WAIT);
        return name;
    }

    /**
     * Writes {@code count} alerts of ten users in one transaction, committed or aborted, and returns where the
     * committed ones were written, by alert id.
     */
    private Map<String, TopicPartitionOffset> produceAlerts(String topic, String idPrefix, int count, boolean commit)
        throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-alerts-" + UUID.randomUUID());
        Map<String, Future<RecordMetadata>> sent = new HashMap<>();
        try (KafkaProducer<String, UsageAlert> producer = new KafkaProducer<>(properties, new StringSerializer(),
            new AvroSerde<>(registry, UsageAlert.class).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                UsageAlert alert = alert(idPrefix + "-" + i, "user-" + (i % 10), 50 + i);
                sent.put(alert.getAlertId(), producer.send(new ProducerRecord<>(topic, null,
                    ALERT_TIME.toEpochMilli(), alert.getUserId(), alert)));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
                return Map.of();
            }
        }
        Map<String, TopicPartitionOffset> written = new HashMap<>();
        for (Map.Entry<String, Future<RecordMetadata>> entry : sent.entrySet()) {
            RecordMetadata metadata = entry.getValue().get(30, TimeUnit.SECONDS);
            written.put(entry.getKey(), new TopicPartitionOffset(
                new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset()));
        }
        return written;
    }

    private static UsageAlert alert(String alertId, String userId, int thresholdPercent) {
        return UsageAlert.newBuilder()
            .setAlertId(alertId)
            .setUserId(userId)
            .setPeriod("2026-12-01")
            .setPeriodStart(Instant.parse("2026-12-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z"))
            .setThresholdPercent(thresholdPercent)
            .setLimit(20_000L)
            .setTotalTokens(20_000L * thresholdPercent / 100)
            .setTimestamp(ALERT_TIME)
            .setRequestId("request-" + alertId)
            .build();
    }

    private Map<TopicPartition, Long> committedOffsets(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    result.put(partition, offset.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new AssertionError("Listing the offsets of group " + group + " failed", e);
        }
    }

    private List<ConsumerRecord<String, UsageAlert>> readAll(String topic) {
        try (TopicReader<UsageAlert> reader = new TopicReader<>(broker.bootstrapServers(), topic,
            new AvroSerde<>(registry, UsageAlert.class).deserializer())) {
            return reader.readToEnd(WAIT);
        }
    }

    private List<ConsumerRecord<String, UsageAlert>> readUntil(String topic, int count) {
        try (TopicReader<UsageAlert> reader = new TopicReader<>(broker.bootstrapServers(), topic,
            new AvroSerde<>(registry, UsageAlert.class).deserializer())) {
            return reader.readUntil(records -> records.size() >= count, WAIT);
        }
    }

    private Properties readerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new AssertionError("Timed out after " + WAIT + " waiting for: " + description);
            }
            Thread.sleep(50);
        }
    }

    /** Where an alert was written. */
    private record TopicPartitionOffset(TopicPartition partition, long offset) {
    }

    /** A consumer whose commits fail once {@link #crash()} was called, as if its process had died. */
    private static final class CrashableConsumer extends KafkaConsumer<String, UsageAlert> {

        private volatile boolean crashed;

        CrashableConsumer(Properties properties, InMemorySchemaRegistry registry) {
            super(properties, Topics.USAGE_ALERTS.keySerde().deserializer(),
                new AvroSerde<>(registry, UsageAlert.class).deserializer());
        }

        void crash() {
            crashed = true;
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (crashed) {
                throw new KafkaException("Simulated crash: the offsets " + offsets + " are not committed");
            }
            super.commitSync(offsets);
        }
    }

    /** One webhook subscriber with its own consumer and producer, running on its own thread. */
    private final class Subscriber implements AutoCloseable {

        private final CrashableConsumer consumer;
        private final Producer<String, UsageAlert> producer;
        private final WebhookDispatcher dispatcher;
        private final Thread thread;
        private volatile Throwable failure;

        Subscriber(String alertsTopic, String undeliverableTopic, String group, String url, Duration giveUpAfter) {
            Properties consumerProperties = readerProperties();
            consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new CrashableConsumer(consumerProperties, registry);

            Properties producerProperties = new Properties();
            producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(producerProperties, new StringSerializer(),
                new AvroSerde<>(registry, UsageAlert.class).serializer());

            ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(400),
                new SplittableRandom(11));
            WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(backoff, giveUpAfter, 0, null);
            dispatcher = new WebhookDispatcher(consumer, alertsTopic, producer, undeliverableTopic,
                new WebhookClient(URI.create(url), ATTEMPT_TIMEOUT), settings, Clock.systemUTC(), System::nanoTime);
            thread = new Thread(this::run, "webhook-subscriber-" + group);
            thread.start();
        }

        private void run() {
            try {
                dispatcher.run();
            } catch (Throwable e) {
                failure = e;
            } finally {
                consumer.close(Duration.ofSeconds(5));
                producer.close(Duration.ofSeconds(5));
            }
        }

        /** Stops the subscriber as a crash would: nothing it handled from now on is committed. */
        void crash() throws InterruptedException {
            consumer.crash();
            stop();
        }

        void stop() throws InterruptedException {
            dispatcher.stop();
            thread.join(WAIT.toMillis());
            assertFalse(thread.isAlive(), "the subscriber should stop");
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }
}
