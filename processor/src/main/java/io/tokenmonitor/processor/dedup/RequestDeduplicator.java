package io.tokenmonitor.processor.dedup;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.processor.validation.RequestValidator;
import io.tokenmonitor.processor.validation.ValidatedRequest;
import io.tokenmonitor.schema.TokenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forwards the first accepted request of each {@code (userId, requestId)} pair and drops every later one, so a
 * producer retry or a file sent twice counts once. A dropped duplicate is counted in the
 * {@link RejectionCounter} and is not dead-lettered. The first request wins, even when the duplicate carries
 * different counts.
 *
 * <p>Seen ids are kept in a store keyed by {@link #seenKey(String, String)} with the request's event time as
 * the value. A punctuator removes entries whose event time is more than the horizon before the task's
 * stream time: the latest accepted event time, kept by {@link RequestValidator}. The validator rejects as
 * {@code late} every event older than that same bound, so a duplicate whose entry was removed is never
 * counted again: it ends in the dead-letter topic with reason {@code late} instead of being dropped here.
 */
public final class RequestDeduplicator implements FixedKeyProcessor<String, ValidatedRequest, ValidatedRequest> {

    /** Wall-clock interval between removals of expired entries. Each removal scans the whole store. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final String seenStoreName;
    private final String streamTimeStoreName;
    private final Duration horizon;
    private final RejectionCounter counter;
    private FixedKeyProcessorContext<String, ValidatedRequest> context;
    private KeyValueStore<String, Long> seen;
    private KeyValueStore<String, Long> streamTime;

    /**
     * @param seenStoreName the store of seen request ids
     * @param streamTimeStoreName the validator's store of the latest accepted event time
     * @param horizon how far behind the stream time an entry is kept
     * @param counter where dropped duplicates are counted
     */
    public RequestDeduplicator(String seenStoreName, String streamTimeStoreName, Duration horizon,
                               RejectionCounter counter) {
        this.seenStoreName = seenStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.horizon = horizon;
        this.counter = counter;
    }

    /** Returns the key of a request in the seen-requests store. */
    public static String seenKey(String userId, String requestId) {
        return userId + StoreKeys.SEPARATOR + requestId;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ValidatedRequest> context) {
        this.context = context;
        this.seen = context.getStateStore(seenStoreName);
        this.streamTime = context.getStateStore(streamTimeStoreName);
        context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> purgeExpired());
    }

    @Override
    public void process(FixedKeyRecord<String, ValidatedRequest> record) {
        TokenRequest request = record.value().request();
        String key = seenKey(request.getUserId(), request.getRequestId());
        if (seen.get(key) != null) {
            RecordMetadata metadata = context.recordMetadata().orElse(null);
            counter.recordDuplicate(request.getUserId(), request.getRequestId(),
                metadata != null ? metadata.topic() : "", metadata != null ? metadata.partition() : -1,
                metadata != null ? metadata.offset() : -1);
            return;
        }
        seen.put(key, request.getTimestamp().toEpochMilli());
        context.forward(record);
    }

    /** Removes the entries whose event time is more than the horizon before the stream time. */
    void purgeExpired() {
        Long latestMs = streamTime.get(RequestValidator.STREAM_TIME_KEY);
        if (latestMs == null) {
            return;
        }
        long cutoffMs = latestMs - horizon.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = seen.all()) {
            while (entries.hasNext()) {
                KeyValue<String, Long> entry = entries.next();
                if (entry.value < cutoffMs) {
                    expired.add(entry.key);
                }
            }
        }
        for (String key : expired) {
            seen.delete(key);
        }
    }
}
