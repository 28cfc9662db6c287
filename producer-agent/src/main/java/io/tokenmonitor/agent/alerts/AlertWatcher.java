package io.tokenmonitor.agent.alerts;

import io.tokenmonitor.schema.UsageAlert;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Prints the alerts of a topic as JSON lines until a stop condition holds. Call {@link #wakeup()} from
 * another thread to stop it; it does not close the consumer.
 *
 * <p>Records that do not deserialize are reported on stderr with their partition and offset, and
 * skipped. When committing is enabled, the offsets of printed alerts are committed on stop, so a
 * named group resumes after the last printed alert.
 */
public final class AlertWatcher {

    /** Reason the watcher stopped. */
    public enum StopReason {
        /** The requested number of alerts was printed. */
        MAX_ALERTS,
        /** The timeout passed. */
        TIMEOUT,
        /** Every assigned partition was read to its end and the idle time passed with no new record. */
        END_OF_TOPIC,
        /** The topic does not exist and the idle time passed. */
        TOPIC_NOT_FOUND,
        /** {@link #wakeup()} was called. */
        WOKEN_UP
    }

    /**
     * When the watcher stops.
     *
     * @param maxAlerts stop after printing this many alerts; 0 for no limit
     * @param timeout stop after this long; null for no limit
     * @param idle stop once the topic has been read to its end and nothing arrived for this long; null to
     *     keep waiting for new alerts
     * @param commitOffsets whether to commit the offsets of printed alerts when stopping
     */
    public record Settings(long maxAlerts, Duration timeout, Duration idle, boolean commitOffsets) {
    }

    /** Maximum time of one poll, so the stop conditions are checked at least this often. */
    static final Duration MAX_POLL_TIME = Duration.ofMillis(500);

    private final Consumer<String, UsageAlert> consumer;
    private final String topic;
    private final Settings settings;
    private final LongSupplier nanoTime;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<TopicPartition, OffsetAndMetadata> printedOffsets = new HashMap<>();
    private long printed;
    private long undecodable;

    /**
     * Creates a watcher.
     *
     * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     * @param out receives exactly one JSON line per alert and nothing else
     * @param err receives diagnostics
     */
    public AlertWatcher(Consumer<String, UsageAlert> consumer, String topic, Settings settings, LongSupplier nanoTime,
                        PrintWriter out, PrintWriter err) {
        this.consumer = consumer;
        this.topic = topic;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.out = out;
        this.err = err;
    }

    /** Subscribes to the topic and prints alerts until a stop condition holds. */
    public StopReason run() {
        consumer.subscribe(List.of(topic));
        long startNanos = nanoTime.getAsLong();
        long lastActivityNanos = startNanos;
        try {
            while (true) {
                long now = nanoTime.getAsLong();
                if (settings.maxAlerts() > 0 && printed >= settings.maxAlerts()) {
                    return StopReason.MAX_ALERTS;
                }
                Duration remaining = remainingTime(startNanos, now);
                if (remaining != null && remaining.isZero()) {
                    return StopReason.TIMEOUT;
                }

                int received = pollOnce(remaining);
                now = nanoTime.getAsLong();
                if (received > 0) {
                    lastActivityNanos = now;
                    continue;
                }
                if (settings.idle() == null || now - lastActivityNanos < settings.idle().toNanos()) {
                    continue;
                }
                if (isAtEnd()) {
                    return StopReason.END_OF_TOPIC;
                }
                if (consumer.assignment().isEmpty() && !topicExists()) {
                    err.println("Topic " + topic + " does not exist.");
                    return StopReason.TOPIC_NOT_FOUND;
                }
            }
        } catch (WakeupException e) {
            return StopReason.WOKEN_UP;
        } finally {
            commitPrinted();
            err.flush();
        }
    }

    /** Stops a running {@link #run()} from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Returns the number of alerts printed so far. */
    public long printed() {
        return printed;
    }

    /** Returns the number of records skipped because they did not deserialize. */
    public long undecodable() {
        return undecodable;
    }

    /** Polls once and prints the alerts received, up to the limit; returns how many records arrived. */
    private int pollOnce(Duration remaining) {
        Duration pollTime = remaining != null && remaining.compareTo(MAX_POLL_TIME) < 0 ? remaining : MAX_POLL_TIME;
        ConsumerRecords<String, UsageAlert> records;
        try {
            records = consumer.poll(pollTime);
        } catch (RecordDeserializationException e) {
            undecodable++;
            err.println("Skipped record at " + e.topicPartition() + " offset " + e.offset()
                + " because it does not deserialize: " + e.getMessage());
            err.flush();
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return 1;
        }

        for (ConsumerRecord<String, UsageAlert> record : records) {
            if (settings.maxAlerts() > 0 && printed >= settings.maxAlerts()) {
                break;
            }
            out.println(AlertJson.toLine(record.value()));
            out.flush();
            printed++;
            printedOffsets.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
        }
        return records.count();
    }

    /** Returns whether partitions are assigned and each has been read up to its end offset. */
    private boolean isAtEnd() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        // Under read_committed, endOffsets returns the last stable offset, the end of what is readable.
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(assigned);
        for (TopicPartition partition : assigned) {
            Long end = endOffsets.get(partition);
            if (end == null || consumer.position(partition) < end) {
                return false;
            }
        }
        return true;
    }

    private boolean topicExists() {
        // Older clients return null rather than an empty list for a missing topic.
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        return partitions != null && !partitions.isEmpty();
    }

    private Duration remainingTime(long startNanos, long now) {
        if (settings.timeout() == null) {
            return null;
        }
        long remainingNanos = settings.timeout().toNanos() - (now - startNanos);
        return Duration.ofNanos(Math.max(0, remainingNanos));
    }

    private void commitPrinted() {
        if (!settings.commitOffsets() || printedOffsets.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(printedOffsets);
            } catch (WakeupException e) {
                // A wakeup that arrived after the loop ended; the flag is cleared now, so commit again.
                consumer.commitSync(printedOffsets);
            }
        } catch (KafkaException e) {
            err.println("Failed to commit the offsets of the printed alerts " + printedOffsets + ": " + e);
        }
    }
}
