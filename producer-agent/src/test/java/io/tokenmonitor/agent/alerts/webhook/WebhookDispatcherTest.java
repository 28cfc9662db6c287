package io.tokenmonitor.agent.alerts.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tokenmonitor.schema.UsageAlert;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatcher's offset handling against a mock consumer, with a local receiver that always fails. */
@Timeout(60)
class WebhookDispatcherTest {

    private static final String TOPIC = "alerts";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startFailingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    @Test
    void shouldDropAlertWhosePartitionIsRevoked() {
        MockConsumer<String, UsageAlert> consumer = new MockConsumer<>("earliest");
        MockProducer<String, UsageAlert> producer = new MockProducer<>(true, null, new StringSerializer(),
            (topic, alert) -> new byte[0]);
        WebhookDispatcher dispatcher = dispatcher(consumer, producer, Duration.ofMinutes(5));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "user-1", alert("a-0")));
        });
        AtomicInteger requestsAtRevocation = new AtomicInteger(-1);
        AtomicLong revokedAtNanos = new AtomicLong();
        scheduleUntil(consumer, () -> requests.get() >= 2, () -> {
            requestsAtRevocation.set(requests.get());
            revokedAtNanos.set(System.nanoTime());
            consumer.rebalance(List.of());
        });
        // Several retries would fit in this time if the dispatcher went on with the revoked alert.
        scheduleUntil(consumer,
            () -> requestsAtRevocation.get() >= 0 && System.nanoTime() - revokedAtNanos.get() > 300_000_000L,
            dispatcher::stop);

        WebhookDispatcher.StopReason reason = dispatcher.run();

        assertEquals(WebhookDispatcher.StopReason.STOPPED, reason);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(PARTITION));
        assertEquals(0, committed.get(PARTITION).offset(), "only the pinned start should be committed");
        assertTrue(producer.history().isEmpty(), "nothing should be undeliverable");
        assertEquals(0, dispatcher.delivered());
        assertTrue(requestsAtRevocation.get() >= 2, "requests before the revocation: " + requestsAtRevocation);
        assertEquals(requestsAtRevocation.get(), requests.get(), "no attempt should follow the revocation");
    }

    @Test
    void shouldCommitAfterUndeliverableWrite() {
        MockConsumer<String, UsageAlert> consumer = new MockConsumer<>("earliest");
        MockProducer<String, UsageAlert> producer = new MockProducer<>(true, null, new StringSerializer(),
            (topic, alert) -> new byte[0]);
        WebhookDispatcher dispatcher = dispatcher(consumer, producer, Duration.ofMillis(300));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "user-1", alert("a-0")));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "user-2", alert("a-1")));
        });
        scheduleUntil(consumer, () -> dispatcher.undeliverable() >= 2, dispatcher::stop);

        dispatcher.run();

        assertEquals(2, producer.history().size());
        assertEquals("undeliverable", producer.history().get(0).topic());
        assertEquals("user-1", producer.history().get(0).key());
        assertEquals(2, consumer.committed(Set.of(PARTITION)).get(PARTITION).offset());
    }

    private WebhookDispatcher dispatcher(MockConsumer<String, UsageAlert> consumer,
                                         MockProducer<String, UsageAlert> producer, Duration giveUpAfter) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(50),
            new SplittableRandom(3));
        WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(backoff, giveUpAfter, 0, null);
        return new WebhookDispatcher(consumer, TOPIC, producer, "undeliverable",
            new WebhookClient(url, Duration.ofSeconds(2)), settings, Clock.systemUTC(), System::nanoTime);
    }

    /** Schedules poll tasks that do nothing until {@code condition} holds, then run {@code action} once. */
    private static void scheduleUntil(MockConsumer<String, UsageAlert> consumer,
                                      BooleanSupplier condition, Runnable action) {
        consumer.schedulePollTask(new Runnable() {
            @Override
            public void run() {
                if (condition.getAsBoolean()) {
                    action.run();
                } else {
                    consumer.schedulePollTask(this);
                }
            }
        });
    }

    private static UsageAlert alert(String alertId) {
        return UsageAlert.newBuilder()
            .setAlertId(alertId)
            .setUserId("user-1")
            .setPeriod("2026-12-01")
            .setPeriodStart(Instant.parse("2026-12-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z"))
            .setThresholdPercent(90)
            .setLimit(1_000L)
            .setTotalTokens(900L)
            .setTimestamp(Instant.parse("2026-12-04T10:00:00Z"))
            .setRequestId("r-" + alertId)
            .build();
    }
}
