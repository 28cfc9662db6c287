package io.tokenmonitor.processor.validation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rejected input records per reason, and dropped duplicate requests, and logs them at WARN, at most
 * one line per reason (and one for duplicates) per {@link #LOG_INTERVAL}, with the number not logged since
 * the previous line. Duplicates are not dead letters: they are counted here but never written to the
 * dead-letter topic.
 *
 * <p>The counts are this process's since it started. After a crash, records of an aborted transaction are
 * processed again and counted again, so the counts are a health signal, not a ledger.
 */
public final class RejectionCounter {

    private static final Logger LOG = LoggerFactory.getLogger(RejectionCounter.class);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final Map<RejectionReason, LongAdder> counts = new EnumMap<>(RejectionReason.class);
    private final Map<RejectionReason, AtomicLong> lastLoggedAtMs = new EnumMap<>(RejectionReason.class);
    private final Map<RejectionReason, LongAdder> notLogged = new EnumMap<>(RejectionReason.class);
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLong duplicateLoggedAtMs = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder duplicatesNotLogged = new LongAdder();

    public RejectionCounter() {
        for (RejectionReason reason : RejectionReason.values()) {
            counts.put(reason, new LongAdder());
            lastLoggedAtMs.put(reason, new AtomicLong(Long.MIN_VALUE));
            notLogged.put(reason, new LongAdder());
        }
    }

    /** Counts one rejection and logs it unless a line for the same reason was logged recently. */
    public void record(RejectionReason reason, String topic, int partition, long offset, String error) {
        counts.get(reason).increment();

        long nowMs = System.currentTimeMillis();
        AtomicLong lastMs = lastLoggedAtMs.get(reason);
        long previousMs = lastMs.get();
        boolean due = previousMs == Long.MIN_VALUE || nowMs - previousMs >= LOG_INTERVAL.toMillis();
        if (due && lastMs.compareAndSet(previousMs, nowMs)) {
            long suppressed = notLogged.get(reason).sumThenReset();
            LOG.warn("Dead-lettered record {}-{}@{}: {} ({}); {} more with this reason since the last report",
                topic, partition, offset, reason.code(), error, suppressed);
        } else {
            notLogged.get(reason).increment();
        }
    }

    /**
     * Counts one dropped duplicate request and logs its ids, never its text, unless a duplicate was logged
     * recently.
     */
    public void recordDuplicate(String userId, String requestId, String topic, int partition, long offset) {
        duplicates.increment();

        long nowMs = System.currentTimeMillis();
        long previousMs = duplicateLoggedAtMs.get();
        boolean due = previousMs == Long.MIN_VALUE || nowMs - previousMs >= LOG_INTERVAL.toMillis();
        if (due && duplicateLoggedAtMs.compareAndSet(previousMs, nowMs)) {
            long suppressed = duplicatesNotLogged.sumThenReset();
            LOG.warn("Dropped duplicate request {} of user {} at {}-{}@{}; {} more duplicates since the last report",
                requestId, userId, topic, partition, offset, suppressed);
        } else {
            duplicatesNotLogged.increment();
        }
    }

    /** Returns the number of duplicate requests dropped since this process started. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Returns the number of rejections per reason code, including reasons never seen. */
    public Map<String, Long> snapshot() {
        Map<String, Long> result = new java.util.LinkedHashMap<>();
        counts.forEach((reason, count) -> result.put(reason.code(), count.sum()));
        return result;
    }

    /** Returns the number of rejections for one reason. */
    public long count(RejectionReason reason) {
        return counts.get(reason).sum();
    }
}
