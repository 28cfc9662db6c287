package io.tokenmonitor.agent.alerts.webhook;

import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.serde.UnknownSchemaException;
import io.tokenmonitor.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of a topic to a webhook, at least once. Alerts of one partition are delivered in
 * offset order, one at a time. Each alert is retried with {@link ExponentialBackoff} until it is
 * delivered, rejected, or the give-up time has passed since its first attempt; then it is written to the
 * undeliverable topic with {@link UndeliverableHeaders}.
 *
 * <p>The offset of an alert is committed only after it was delivered (2xx) or written to the undeliverable
 * topic and acknowledged, so a subscriber that crashes delivers the uncommitted alerts again on restart.
 * A partition assigned without a committed offset gets its starting position committed at once, so alerts
 * that arrive while the subscriber is down are not skipped by {@code auto.offset.reset=latest}.
 *
 * <p>While it waits between retries, the dispatcher keeps polling with its partitions paused, so the group
 * does not evict it however long the retries take. When a rebalance takes the partition of the alert in
 * delivery away, the dispatcher drops the alert and the new owner delivers it again.
 *
 * <p>NOTE: a crash after an alert was written to the undeliverable topic but before its offset was
 * committed retries the alert, and may write it to that topic a second time.
 */
public final class WebhookDispatcher {

    /**
     * When to give up and when to stop.
     *
     * @param backoff the delays between attempts of one alert
     * @param giveUpAfter how long after its first attempt an alert is written to the undeliverable topic
     * @param maxAlerts stop after handling (delivering or giving up) this many alerts; 0 for no limit
     * @param timeout stop after this long, checked between alerts; null for no limit
     */
    public record Settings(ExponentialBackoff backoff, Duration giveUpAfter, long maxAlerts, Duration timeout) {
    }

    /** Reason the dispatcher stopped. */
    public enum StopReason {
        /** {@link Settings#maxAlerts()} alerts were handled. */
        MAX_ALERTS,
        /** {@link Settings#timeout()} passed. */
        TIMEOUT,
        /** {@link #stop()} was called. */
        STOPPED
    }

    /** Maximum time of one poll, so stop conditions and retry times are checked at least this often. */
    static final Duration MAX_POLL_TIME = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Consumer<String, UsageAlert> consumer;
    private final String topic;
    private final Producer<String, UsageAlert> undeliverableProducer;
    private final String undeliverableTopic;
    private final WebhookClient client;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;

    private final Deque<ConsumerRecord<String, UsageAlert>> pending = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetAndMetadata> handledOffsets = new HashMap<>();
    private volatile boolean stopRequested;
    private TopicPartition inDelivery;
    private boolean inDeliveryRevoked;

    private long delivered;
    private long undeliverable;
    private long batchDelivered;
    private long batchUndeliverable;
    private long batchStartNanos;
    private long lastPollNanos;

    /**
     * Creates a dispatcher.
     *
     * @param consumer a consumer with auto-commit disabled, which this class does not close
     * @param undeliverableProducer a producer with {@code acks=all} for the undeliverable topic, which this
     *     class does not close
     * @param clock the wall clock of the undeliverable headers
     * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public WebhookDispatcher(Consumer<String, UsageAlert> consumer, String topic,
                             Producer<String, UsageAlert> undeliverableProducer, String undeliverableTopic,
                             WebhookClient client, Settings settings, Clock clock, LongSupplier nanoTime) {
        this.consumer = consumer;
        this.topic = topic;
        this.undeliverableProducer = undeliverableProducer;
        this.undeliverableTopic = undeliverableTopic;
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** Subscribes to the topic and delivers alerts until a stop condition holds; commits on the way out. */
    public StopReason run() {
        consumer.subscribe(List.of(topic), new OffsetKeeper());
        long startNanos = nanoTime.getAsLong();
        log.info("Delivering alerts of {} to {}", topic, client.describe());
        try {
            while (true) {
                StopReason reason = stopReason(startNanos);
                if (reason != null) {
                    return reason;
                }
                if (pending.isEmpty()) {
                    finishBatch();
                    pollInto(MAX_POLL_TIME);
                    continue;
                }

                ConsumerRecord<String, UsageAlert> record = pending.pollFirst();
                if (handle(record)) {
                    handledOffsets.put(partitionOf(record), new OffsetAndMetadata(record.offset() + 1));
                }
                keepAlive();
            }
        } catch (WakeupException e) {
            return StopReason.STOPPED;
        } finally {
            commitHandled();
            log.info("Stopped delivering alerts: {} delivered, {} sent to {}", delivered, undeliverable,
                undeliverableTopic);
        }
    }

    /** Stops a running {@link #run()} from another thread, after the HTTP attempt in progress. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    /** Returns the number of alerts delivered so far. */
    public long delivered() {
        return delivered;
    }

    /** Returns the number of alerts written to the undeliverable topic so far. */
    public long undeliverable() {
        return undeliverable;
    }

    private StopReason stopReason(long startNanos) {
        if (stopRequested) {
            return StopReason.STOPPED;
        }
        if (settings.maxAlerts() > 0 && delivered + undeliverable >= settings.maxAlerts()) {
            return StopReason.MAX_ALERTS;
        }
        if (settings.timeout() != null && nanoTime.getAsLong() - startNanos >= settings.timeout().toNanos()) {
            return StopReason.TIMEOUT;
        }
        return null;
    }

    /**
     * Delivers one alert, retrying until it is delivered, rejected or given up.
     *
     * @return true when the alert was delivered or written to the undeliverable topic. False when the
     *     dispatcher was stopped or the alert's partition was revoked, because then its offset must not be
     *     committed
     */
    private boolean handle(ConsumerRecord<String, UsageAlert> record) {
        UsageAlert alert = record.value();
        inDelivery = partitionOf(record);
        inDeliveryRevoked = false;
        try {
            Instant firstAttemptAt = clock.instant();
            long firstAttemptNanos = nanoTime.getAsLong();
            int attempts = 0;
            AttemptResult result;
            while (true) {
                attempts++;
                result = client.post(alert);
                if (result.outcome() == AttemptResult.Outcome.DELIVERED) {
                    delivered++;
                    batchDelivered++;
                    return true;
                }
                log.warn("Attempt {} to deliver alert {} of user {} to {} failed: status {}, {}", attempts,
                    alert.getAlertId(), alert.getUserId(), client.describe(), result.statusText(), result.error());
                if (result.outcome() == AttemptResult.Outcome.REJECTED) {
                    break;
                }
                long elapsedNanos = nanoTime.getAsLong() - firstAttemptNanos;
                long giveUpRemainingNanos = settings.giveUpAfter().toNanos() - elapsedNanos;
                if (giveUpRemainingNanos <= 0) {
                    break;
                }
                Duration delay = retryDelay(attempts, result);
                if (delay.toNanos() > giveUpRemainingNanos) {
                    delay = Duration.ofNanos(giveUpRemainingNanos);
                }
                if (attempts == 1) {
                    // The alerts handled before this one should not wait for its retries to be committed.
                    commitHandled();
                }
                if (!waitPolling(delay)) {
                    return false;
                }
            }
            return writeUndeliverable(record, result, attempts, firstAttemptAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
            return false;
        } finally {
            inDelivery = null;
        }
    }

    /** Returns the jittered backoff, lengthened to the server's Retry-After up to the maximum delay. */
    private Duration retryDelay(int attempts, AttemptResult result) {
        Duration delay = settings.backoff().delay(attempts);
        Duration requested = result.retryAfter();
        if (requested == null) {
            return delay;
        }
        Duration capped = requested.compareTo(settings.backoff().max()) > 0 ? settings.backoff().max() : requested;
        return capped.compareTo(delay) > 0 ? capped : delay;
    }

    /**
     * Writes the alert to the undeliverable topic and waits for the acknowledgement, retrying failed writes.
     *
     * @return true once written; false when stopped or the alert's partition was revoked first
     */
    private boolean writeUndeliverable(ConsumerRecord<String, UsageAlert> record, AttemptResult result, int attempts,
                                       Instant firstAttemptAt) {
        UsageAlert alert = record.value();
        String reason = result.outcome() == AttemptResult.Outcome.REJECTED
            ? UndeliverableHeaders.REASON_REJECTED
            : UndeliverableHeaders.REASON_RETRIES_EXHAUSTED;
        RecordHeaders headers = new RecordHeaders();
        addHeader(headers, UndeliverableHeaders.REASON, reason);
        addHeader(headers, UndeliverableHeaders.LAST_STATUS, result.statusText());
        addHeader(headers, UndeliverableHeaders.LAST_ERROR, result.error());
        addHeader(headers, UndeliverableHeaders.ATTEMPTS, Integer.toString(attempts));
        addHeader(headers, UndeliverableHeaders.FIRST_ATTEMPT_AT, firstAttemptAt.toString());
        addHeader(headers, UndeliverableHeaders.GAVE_UP_AT, clock.instant().toString());
        addHeader(headers, UndeliverableHeaders.SOURCE_TOPIC, record.topic());
        addHeader(headers, UndeliverableHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
        addHeader(headers, UndeliverableHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
        ProducerRecord<String, UsageAlert> deadLetter =
            new ProducerRecord<>(undeliverableTopic, null, null, record.key(), alert, headers);

        for (int writeAttempts = 1; ; writeAttempts++) {
            try {
                undeliverableProducer.send(deadLetter).get();
                undeliverable++;
                batchUndeliverable++;
                log.warn("Gave up delivering alert {} of user {} after {} attempts ({}, last status {}); wrote it"
                    + " to {}", alert.getAlertId(), alert.getUserId(), attempts, reason, result.statusText(),
                    undeliverableTopic);
                return true;
            } catch (ExecutionException | KafkaException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                Duration delay = settings.backoff().delay(writeAttempts);
                log.warn("Writing undeliverable alert {} to {} failed; retrying in {} ms: {}", alert.getAlertId(),
                    undeliverableTopic, delay.toMillis(), cause.toString());
                if (!waitPolling(delay)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
                return false;
            }
        }
    }

    private static void addHeader(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits while polling with every assigned partition paused, so the consumer stays in its group.
     *
     * @return false when the dispatcher was stopped or the partition in delivery was revoked meanwhile
     */
    private boolean waitPolling(Duration delay) {
        long deadlineNanos = nanoTime.getAsLong() + delay.toNanos();
        try {
            while (!stopRequested && !inDeliveryRevoked) {
                long remainingNanos = deadlineNanos - nanoTime.getAsLong();
                if (remainingNanos <= 0) {
                    return true;
                }
                // Partitions assigned by a rebalance during the wait are paused by the next round.
                consumer.pause(consumer.assignment());
                pollInto(Duration.ofNanos(Math.min(remainingNanos, MAX_POLL_TIME.toNanos())));
            }
            return false;
        } finally {
            resumeAssigned();
        }
    }

    /**
     * Polls without waiting, with every partition paused, once {@link #MAX_POLL_TIME} has passed since the
     * last poll. A long batch of slow deliveries then still polls often enough to stay in the group.
     */
    private void keepAlive() {
        if (nanoTime.getAsLong() - lastPollNanos < MAX_POLL_TIME.toNanos()) {
            return;
        }
        try {
            consumer.pause(consumer.assignment());
            pollInto(Duration.ZERO);
        } finally {
            resumeAssigned();
        }
    }

    /** Resumes the paused partitions that are still assigned; a rebalance may have revoked some of them. */
    private void resumeAssigned() {
        Set<TopicPartition> paused = new HashSet<>(consumer.paused());
        paused.retainAll(consumer.assignment());
        consumer.resume(paused);
    }

    /** Polls once and queues the alerts received; skips records that can never be read as alerts. */
    private void pollInto(Duration pollTime) {
        ConsumerRecords<String, UsageAlert> records;
        lastPollNanos = nanoTime.getAsLong();
        try {
            records = consumer.poll(pollTime);
        } catch (RecordDeserializationException e) {
            if (isUnreadable(e)) {
                log.warn("Skipped the record at {} offset {}, which is not a readable alert: {}",
                    e.topicPartition(), e.offset(), e.getCause() != null ? e.getCause().toString() : e.toString());
                consumer.seek(e.topicPartition(), e.offset() + 1);
                boolean queuedBefore = pending.stream()
                    .anyMatch(record -> partitionOf(record).equals(e.topicPartition()));
                if (!queuedBefore) {
                    handledOffsets.put(e.topicPartition(), new OffsetAndMetadata(e.offset() + 1));
                }
            } else {
                // The schema registry may be unreachable for a while; the next poll reads the record again.
                log.warn("Reading the record at {} offset {} failed; retrying: {}", e.topicPartition(), e.offset(),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
            }
            return;
        }
        if (!records.isEmpty() && pending.isEmpty() && batchDelivered + batchUndeliverable == 0) {
            batchStartNanos = nanoTime.getAsLong();
        }
        for (ConsumerRecord<String, UsageAlert> record : records) {
            pending.addLast(record);
        }
    }

    private static boolean isUnreadable(RecordDeserializationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof WireFormatException || cause instanceof UnknownSchemaException) {
                return true;
            }
        }
        return false;
    }

    /** Commits the handled offsets and logs the batch that just ended, if it handled any alert. */
    private void finishBatch() {
        commitHandled();
        if (batchDelivered + batchUndeliverable == 0) {
            return;
        }
        long elapsedMs = (nanoTime.getAsLong() - batchStartNanos) / 1_000_000;
        log.info("Delivered {} alerts and wrote {} to {} in {} ms", batchDelivered, batchUndeliverable,
            undeliverableTopic, elapsedMs);
        batchDelivered = 0;
        batchUndeliverable = 0;
    }

    private void commitHandled() {
        if (handledOffsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(handledOffsets);
        try {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                // A wakeup left over from stop(); the flag is cleared now, so commit again.
                consumer.commitSync(offsets);
            }
            offsets.forEach(handledOffsets::remove);
        } catch (KafkaException e) {
            // The alerts stay uncommitted, so the next owner of their partitions delivers them again.
            log.warn("Committing the offsets {} of handled alerts failed: {}", offsets, e.toString());
        }
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** Commits before partitions move, drops their queued alerts, and pins the start of new partitions. */
    private final class OffsetKeeper implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revokedOffsets = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = handledOffsets.remove(partition);
                if (offset != null) {
                    revokedOffsets.put(partition, offset);
                }
            }
            if (!revokedOffsets.isEmpty()) {
                try {
                    consumer.commitSync(revokedOffsets);
                } catch (KafkaException e) {
                    log.warn("Committing the offsets {} of revoked partitions failed: {}", revokedOffsets,
                        e.toString());
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(handledOffsets::remove);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
                Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    if (committed.get(partition) == null) {
                        starts.put(partition, new OffsetAndMetadata(consumer.position(partition)));
                    }
                }
                if (!starts.isEmpty()) {
                    consumer.commitSync(starts);
                    log.info("Committed the starting offsets {} of partitions new to the group", starts);
                }
            } catch (KafkaException e) {
                log.warn("Committing the starting offsets of {} failed: {}", partitions, e.toString());
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            Set<TopicPartition> removed = new HashSet<>(partitions);
            pending.removeIf(record -> removed.contains(partitionOf(record)));
            if (inDelivery != null && removed.contains(inDelivery)) {
                inDeliveryRevoked = true;
            }
        }
    }
}
