package io.tokenmonitor.agent.alerts;

import static io.tokenmonitor.agent.alerts.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.alerts.AlertWatcher.Settings;
import io.tokenmonitor.agent.alerts.AlertWatcher.StopReason;
import io.tokenmonitor.schema.UsageAlert;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;

class AlertWatcherTest {

    private static final String TOPIC = "usage-alerts";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, UsageAlert> consumer = new MockConsumer<>("earliest");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** Each reading of the clock moves it 100 ms on, so waits pass without sleeping. */
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void shouldPrintOneJsonLinePerAlert() {
        assignWithRecords(3, 3);

        StopReason reason = watcher(new Settings(2, null, null, false)).run();

        assertEquals(StopReason.MAX_ALERTS, reason);
        assertEquals(List.of(AlertJson.toLine(alert("a-0", 50)), AlertJson.toLine(alert("a-1", 51))),
            out.toString().lines().toList());
    }

    @Test
    void shouldStopAtEndOfTopicAfterIdle() {
        assignWithRecords(2, 2);

        AlertWatcher watcher = watcher(new Settings(0, null, Duration.ofSeconds(5), false));
        StopReason reason = watcher.run();

        assertEquals(StopReason.END_OF_TOPIC, reason);
        assertEquals(2, watcher.printed());
        assertTrue(nanos.get() >= Duration.ofSeconds(5).toNanos(), "stopped only after the idle time");
    }

    @Test
    void shouldWaitForRecordsBelowEndOffset() {
        assignWithRecords(2, 5);

        StopReason reason = watcher(new Settings(0, Duration.ofSeconds(20), Duration.ofSeconds(5), false)).run();

        assertEquals(StopReason.TIMEOUT, reason);
        assertEquals(2, out.toString().lines().count());
    }

    @Test
    void shouldStopAtTimeoutBeforeMaxAlerts() {
        assignWithRecords(1, 1);

        StopReason reason = watcher(new Settings(5, Duration.ofSeconds(10), null, false)).run();

        assertEquals(StopReason.TIMEOUT, reason);
        assertEquals(1, out.toString().lines().count());
    }

    @Test
    void shouldStopOnWakeup() {
        AlertWatcher watcher = watcher(new Settings(0, null, null, false));
        consumer.schedulePollTask(watcher::wakeup);

        assertEquals(StopReason.WOKEN_UP, watcher.run());
    }

    @Test
    void shouldStopWhenTopicIsMissing() {
        StopReason reason = watcher(new Settings(0, null, Duration.ofSeconds(5), false)).run();

        assertEquals(StopReason.TOPIC_NOT_FOUND, reason);
        assertTrue(err.toString().contains("Topic usage-alerts does not exist"), err.toString());
    }

    @Test
    void shouldSkipUndecodableRecord() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 2L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.setPollException(
                new RecordDeserializationException(PARTITION, 0, "Unknown magic byte 7", null));
        });
        consumer.schedulePollTask(() -> consumer.addRecord(record(1)));

        AlertWatcher watcher = watcher(new Settings(0, null, Duration.ofSeconds(5), false));
        StopReason reason = watcher.run();

        assertEquals(StopReason.END_OF_TOPIC, reason);
        assertEquals(1, watcher.undecodable());
        assertEquals(1, watcher.printed());
        assertTrue(err.toString().contains("usage-alerts-0 offset 0"), err.toString());
    }

    @Test
    void shouldCommitOnlyPrintedAlerts() {
        assignWithRecords(3, 3);

        watcher(new Settings(2, null, null, true)).run();

        assertEquals(2L, consumer.committed(Set.of(PARTITION)).get(PARTITION).offset());
    }

    @Test
    void shouldNotCommitWhenDisabled() {
        assignWithRecords(3, 3);

        watcher(new Settings(2, null, null, false)).run();

        assertEquals(null, consumer.committed(Set.of(PARTITION)).get(PARTITION));
    }

    private AlertWatcher watcher(Settings settings) {
        return new AlertWatcher(consumer, TOPIC, settings, () -> nanos.addAndGet(Duration.ofMillis(100).toNanos()),
            new PrintWriter(out), new PrintWriter(err));
    }

    private void assignWithRecords(int records, long endOffset) {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, endOffset));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            for (int i = 0; i < records; i++) {
                consumer.addRecord(record(i));
            }
        });
    }

    private static ConsumerRecord<String, UsageAlert> record(long offset) {
        return new ConsumerRecord<>(TOPIC, 0, offset, "alice", alert("a-" + offset, 50 + (int) offset));
    }
}
