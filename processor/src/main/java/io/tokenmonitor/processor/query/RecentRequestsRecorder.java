package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest {@link #MAX_RECENT_REQUESTS} requests of each user, by event time, in the store named
 * {@code storeName}, and forwards every record unchanged.
 *
 * <p>The store contains each {@link TokenUsage} already encoded in the wire format of the token-usage topic, and
 * one entry per user under {@link StoreKeys#recentRequestCountKey}, outside the user's prefix scans, with the
 * number of kept requests and the key of the oldest. A new request then costs a few point lookups and a short
 * reverse range that starts at the oldest kept key. Ranges that reach past it would step over the tombstones of
 * every request deleted before, which RocksDB keeps until a compaction.
 *
 * <p>A store that was empty when this recorder first used it gets a marker entry, {@link
 * StoreKeys#RECENT_REQUEST_COUNTS_MARKER}, and in such a store a user without a count entry is a new user. In a
 * store written before counts were kept, a user without a count entry is counted and trimmed once by a scan.
 */
public final class RecentRequestsRecorder implements FixedKeyProcessor<String, TokenUsage, TokenUsage> {

    public static final int MAX_RECENT_REQUESTS = 100;

    private static final StringSerializer KEY_SERIALIZER = (StringSerializer) Serdes.String().serializer();

    private final String storeName;
    private final AvroSerde<TokenUsage> usageSerde;
    private FixedKeyProcessorContext<String, TokenUsage> context;
    private KeyValueStore<String, byte[]> recent;
    // Whether every user of the store has a count entry; null until the first record is processed.
    private Boolean countsComplete;

    /** A user's count entry: how many requests are kept, and the key of the oldest of them. */
    record RecentCount(int count, String oldestKey) {

        byte[] encode() {
            byte[] key = oldestKey.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(Integer.BYTES + key.length).putInt(count).put(key).array();
        }

        static RecentCount decode(byte[] stored) {
            ByteBuffer buffer = ByteBuffer.wrap(stored);
            int count = buffer.getInt();
            return new RecentCount(count, new String(stored, Integer.BYTES, stored.length - Integer.BYTES,
                StandardCharsets.UTF_8));
        }
    }

    public RecentRequestsRecorder(String storeName, AvroSerde<TokenUsage> usageSerde) {
        this.storeName = storeName;
        this.usageSerde = usageSerde;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TokenUsage> context) {
        this.context = context;
        this.recent = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, TokenUsage> record) {
        TokenUsage usage = record.value();
        String userId = usage.getUserId();
        String key = StoreKeys.recentRequestKey(userId, usage.getTimestamp().toEpochMilli(), usage.getRequestId());
        // A replay after the deduplication horizon writes the same key again, which must not count twice.
        if (countsComplete == null) {
            countsComplete = checkCountsComplete();
        }
        boolean isNew = recent.get(key) == null;
        recent.put(key, usageSerde.serialize(Topics.TOKEN_USAGE.name(), usage));
        if (isNew) {
            RecentCount recentCount = keep(userId, key);
            recent.put(StoreKeys.recentRequestCountKey(userId), recentCount.encode());
        }
        context.forward(record);
    }

    /** Counts a new request of the user and deletes the oldest request past the limit. */
    private RecentCount keep(String userId, String newKey) {
        byte[] stored = recent.get(StoreKeys.recentRequestCountKey(userId));
        if (stored == null) {
            return countsComplete ? new RecentCount(1, newKey) : trimByScan(userId);
        }

        RecentCount before = RecentCount.decode(stored);
        int count = before.count() + 1;
        if (StoreKeys.compareAsStored(newKey, before.oldestKey()) > 0) {
            // Keys sort newest first, so the new request is older than every kept one.
            if (count > MAX_RECENT_REQUESTS) {
                recent.delete(newKey);
                return before;
            }
            return new RecentCount(count, newKey);
        }
        if (count <= MAX_RECENT_REQUESTS) {
            return new RecentCount(count, before.oldestKey());
        }

        String nextOldest = keyBefore(userId, before.oldestKey());
        if (nextOldest == null) {
            // The stored oldest key is missing, so the count cannot be trusted either.
            return trimByScan(userId);
        }
        recent.delete(before.oldestKey());
        return new RecentCount(MAX_RECENT_REQUESTS, nextOldest);
    }

    /**
     * Returns whether the store has the marker, writing it when the store is empty. It runs while a record is
     * processed, because a put outside processing has no record context for the changelog.
     */
    private boolean checkCountsComplete() {
        if (recent.get(StoreKeys.RECENT_REQUEST_COUNTS_MARKER) != null) {
            return true;
        }
        try (KeyValueIterator<String, byte[]> iterator = recent.all()) {
            if (iterator.hasNext()) {
                return false;
            }
        }
        recent.put(StoreKeys.RECENT_REQUEST_COUNTS_MARKER, new byte[] {1});
        return true;
    }

    /**
     * Returns the key just before {@code oldestKey} in the user's requests, or null when {@code oldestKey} is not
     * the last key of the user's requests.
     */
    private String keyBefore(String userId, String oldestKey) {
        try (KeyValueIterator<String, byte[]> iterator =
                 recent.reverseRange(StoreKeys.recentRequestPrefix(userId), oldestKey)) {
            if (!iterator.hasNext() || !iterator.next().key.equals(oldestKey) || !iterator.hasNext()) {
                return null;
            }
            return iterator.next().key;
        }
    }

    /** Counts the user's requests with a scan, deletes those past the newest hundred, and returns what is kept. */
    private RecentCount trimByScan(String userId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> iterator =
                 recent.prefixScan(StoreKeys.recentRequestPrefix(userId), KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                keys.add(iterator.next().key);
            }
        }
        for (String key : keys.subList(Math.min(keys.size(), MAX_RECENT_REQUESTS), keys.size())) {
            recent.delete(key);
        }
        int keptCount = Math.min(keys.size(), MAX_RECENT_REQUESTS);
        return new RecentCount(keptCount, keys.get(keptCount - 1));
    }
}
