package io.tokenmonitor.processor.http;

import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of a running {@link KafkaStreams} instance: of every partition this instance owns, or of one
 * partition only. Each accessor looks the store up again, so a partition that moved away since the last call
 * throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException} instead of reading as empty.
 */
public final class StreamsStores implements UsageStores {

    private final KafkaStreams streams;
    private final Integer partition;
    private final boolean allowStale;

    private StreamsStores(KafkaStreams streams, Integer partition, boolean allowStale) {
        this.streams = streams;
        this.partition = partition;
        this.allowStale = allowStale;
    }

    /** Returns the stores of the partitions this instance owns as active, running tasks. */
    public static StreamsStores allPartitions(KafkaStreams streams) {
        return new StreamsStores(streams, null, false);
    }

    /**
     * Returns the stores of one partition. With {@code allowStale} they include a standby or restoring copy,
     * which may lag behind the active one.
     */
    public static StreamsStores onePartition(KafkaStreams streams, int partition, boolean allowStale) {
        return new StreamsStores(streams, partition, allowStale);
    }

    @Override
    public ReadOnlyKeyValueStore<String, UsagePeriod> periods() {
        return store(TokenMonitorTopology.USAGE_PERIODS_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, byte[]> recentRequests() {
        return store(TokenMonitorTopology.RECENT_REQUESTS_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, PlanState> plans() {
        return store(TokenMonitorTopology.USER_PLANS_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, UsageAlert> alerts() {
        return store(TokenMonitorTopology.USAGE_ALERTS_STORE);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters =
            StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        if (partition != null) {
            parameters = parameters.withPartition(partition);
        }
        if (allowStale) {
            parameters = parameters.enableStaleStores();
        }
        return streams.store(parameters);
    }
}
