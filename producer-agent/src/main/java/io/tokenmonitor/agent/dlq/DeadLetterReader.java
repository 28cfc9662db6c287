package io.tokenmonitor.agent.dlq;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the dead-letter topic from the beginning and prints the matching records as JSON lines. It assigns every
 * partition itself and commits nothing. Without {@code follow} it stops at the end offsets it found when it
 * started, which under read_committed are the last stable offsets.
 *
 * @param reasons the reason codes to print, or empty for all
 * @param since print only records rejected at or after this time, by their {@code dlq.rejected.at} header, or
 *     null for all; a record without a readable time is printed
 * @param limit stop after printing this many records, or 0 for no limit
 * @param follow keep reading new records until stopped
 */
record DeadLetterReader(String topic, Set<String> reasons, Instant since, long limit, boolean follow) {

    private static final Duration POLL_TIME = Duration.ofMillis(200);

    /** Prints the matching records and returns how many it printed. */
    long run(Consumer<byte[], byte[]> consumer, PrintWriter out, BooleanSupplier stopRequested) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);

        long printed = 0;
        while (!stopRequested.getAsBoolean()) {
            if (!follow && caughtUp(consumer, endOffsets)) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIME)) {
                if (!matches(record)) {
                    continue;
                }
                out.println(DeadLetterJson.format(record));
                printed++;
                if (limit > 0 && printed >= limit) {
                    out.flush();
                    return printed;
                }
            }
            out.flush();
        }
        return printed;
    }

    private boolean matches(ConsumerRecord<byte[], byte[]> record) {
        if (!reasons.isEmpty() && !reasons.contains(DeadLetterJson.reason(record))) {
            return false;
        }
        if (since == null) {
            return true;
        }
        String rejectedAt = DeadLetterJson.rejectedAt(record);
        try {
            return rejectedAt == null || !Instant.parse(rejectedAt).isBefore(since);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static boolean caughtUp(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
