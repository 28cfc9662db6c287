package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest {@link #MAX_RECENT_REQUESTS} requests of each user, by event time, in the store named
 * {@code storeName}, and forwards every record unchanged.
 *
 * <p>The store contains each {@link TokenUsage} already encoded in the wire format of the token-usage topic,
 * so trimming a user's list scans bytes instead of decoding up to a hundred records per request.
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
        recent.put(key, usageSerde.serialize(Topics.TOKEN_USAGE.name(), usage));
        dropOldest(userId);
        context.forward(record);
    }

    /** Deletes the user's requests past the newest {@link #MAX_RECENT_REQUESTS}; at most one per call. */
    private void dropOldest(String userId) {
        int seen = 0;
        String oldestKey = null;
        try (KeyValueIterator<String, byte[]> iterator =
                 recent.prefixScan(StoreKeys.recentRequestPrefix(userId), KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                KeyValue<String, byte[]> entry = iterator.next();
                seen++;
                if (seen > MAX_RECENT_REQUESTS) {
                    oldestKey = entry.key;
                }
            }
        }
        if (oldestKey != null) {
            recent.delete(oldestKey);
        }
    }
}
