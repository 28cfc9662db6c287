package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.nio.ByteBuffer;
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
 * one count entry per user under {@link StoreKeys#recentRequestCountKey}, outside the user's prefix scans. With
 * the count, a new request costs a few point lookups, and only the requests past the limit are read, oldest
 * first. A user without a count entry, from a store written before counts were kept, is counted once by a scan.
 */
public final class RecentRequestsRecorder implements FixedKeyProcessor<String, TokenUsage, TokenUsage> {

    public static final int MAX_RECENT_REQUESTS = 100;

    private static final StringSerializer KEY_SERIALIZER = (StringSerializer) Serdes.String().serializer();

    private final String storeName;
    private final AvroSerde<TokenUsage> usageSerde;
    private FixedKeyProcessorContext<String, TokenUsage> context;
    private KeyValueStore<String, byte[]> recent;

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
        boolean isNew = recent.get(key) == null;
        recent.put(key, usageSerde.serialize(Topics.TOKEN_USAGE.name(), usage));
        if (isNew) {
            updateCount(userId);
        }
        context.forward(record);
    }

    /** Adds the new request to the user's count and deletes the oldest requests past the limit. */
    private void updateCount(String userId) {
        String countKey = StoreKeys.recentRequestCountKey(userId);
        byte[] stored = recent.get(countKey);
        int count = stored != null ? decodeCount(stored) + 1 : countByScan(userId);
        if (count > MAX_RECENT_REQUESTS) {
            deleteOldest(userId, count - MAX_RECENT_REQUESTS);
            count = MAX_RECENT_REQUESTS;
        }
        recent.put(countKey, encodeCount(count));
    }

    private int countByScan(String userId) {
        int count = 0;
        try (KeyValueIterator<String, byte[]> iterator =
                 recent.prefixScan(StoreKeys.recentRequestPrefix(userId), KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                iterator.next();
                count++;
            }
        }
        return count;
    }

    private void deleteOldest(String userId, int excess) {
        String prefix = StoreKeys.recentRequestPrefix(userId);
        List<String> oldest = new ArrayList<>(excess);
        // Keys list a user's requests newest first, so the reverse range starts at the oldest.
        try (KeyValueIterator<String, byte[]> iterator =
                 recent.reverseRange(prefix, StoreKeys.recentRequestUpperBound(userId))) {
            while (iterator.hasNext() && oldest.size() < excess) {
                oldest.add(iterator.next().key);
            }
        }
        for (String key : oldest) {
            recent.delete(key);
        }
    }

    static byte[] encodeCount(int count) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(count).array();
    }

    static int decodeCount(byte[] stored) {
        return ByteBuffer.wrap(stored).getInt();
    }
}
