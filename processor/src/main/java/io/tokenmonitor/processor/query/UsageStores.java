package io.tokenmonitor.processor.query;

import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the processor's state stores. Implemented over a running KafkaStreams instance, and over
 * a TopologyTestDriver in tests.
 */
public interface UsageStores {

    /**
     * Returns the store of period totals.
     *
     * @throws InvalidStateStoreException while the store is not queryable, for example during a rebalance
     */
    ReadOnlyKeyValueStore<String, UsagePeriod> periods();

    /**
     * Returns the store of recent requests, values in the wire format of the token-usage topic.
     *
     * @throws InvalidStateStoreException while the store is not queryable, for example during a rebalance
     */
    ReadOnlyKeyValueStore<String, byte[]> recentRequests();

    /**
     * Returns the store of plan states.
     *
     * @throws InvalidStateStoreException while the store is not queryable, for example during a rebalance
     */
    ReadOnlyKeyValueStore<String, PlanState> plans();

    /**
     * Returns the store of raised alerts, keyed so a prefix scan lists a user's alerts of a period oldest first.
     *
     * @throws InvalidStateStoreException while the store is not queryable, for example during a rebalance
     */
    ReadOnlyKeyValueStore<String, UsageAlert> alerts();
}
