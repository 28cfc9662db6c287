package io.tokenmonitor.processor.http;

import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A {@link ClusterView} over a {@link KafkaStreams} instance. Every input topic is keyed by user id and has
 * the same partition count, so the partition of a user's key in the periods store's source topic is the
 * partition of every store that contains the user's data.
 */
public final class StreamsClusterView implements ClusterView {

    /**
     * The largest changelog offset lag of a copy that a stale read accepts. The changelogs are written in
     * exactly-once transactions, so a copy that contains every committed record can still be one offset behind the
     * end: the last transaction's commit marker.
     * NOTE: an aborted transaction at the end of a changelog adds offsets no copy applies, so stale reads of
     * that partition then fail with 503 until the next commit.
     */
    static final long MAX_STALE_OFFSET_LAG = 1;

    private static final StringSerializer KEY_SERIALIZER = new StringSerializer();

    private final KafkaStreams streams;

    public StreamsClusterView(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public KeyQueryMetadata ownerOf(String userId) {
        try {
            return streams.queryMetadataForKey(TokenMonitorTopology.USAGE_PERIODS_STORE, userId, KEY_SERIALIZER);
        } catch (IllegalStateException | StreamsException e) {
            // Kafka Streams stopped or has not started between the caller's state check and this call.
            return KeyQueryMetadata.NOT_AVAILABLE;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With {@code allowStale}, the local copy must first have applied every changelog record but at most
     * {@link #MAX_STALE_OFFSET_LAG}; otherwise this throws {@link UnavailableException}. A standby that was just
     * assigned starts empty, and reading it would return zeros rather than merely old totals.
     */
    @Override
    public UsageStores partitionStores(int partition, boolean allowStale) {
        if (allowStale) {
            requireCaughtUp(partition);
        }
        return StreamsStores.onePartition(streams, partition, allowStale);
    }

    /**
     * Throws unless every local store of {@code partition} is at most {@link #MAX_STALE_OFFSET_LAG} changelog
     * offsets behind. Kafka Streams reports lag 0 for a running active task. For a standby or restoring copy it
     * requests the changelog's end offset from the broker, so each check costs one round trip.
     */
    private void requireCaughtUp(int partition) {
        Map<String, Map<Integer, LagInfo>> lags;
        try {
            lags = streams.allLocalStorePartitionLags();
        } catch (IllegalStateException | StreamsException e) {
            throw new UnavailableException("The lag of this instance's copy of partition " + partition
                + " could not be read; retry shortly", e);
        }
        LagInfo periodsLag = lags.getOrDefault(TokenMonitorTopology.USAGE_PERIODS_STORE, Map.of()).get(partition);
        if (periodsLag == null) {
            throw new InvalidStateStoreException("This instance has no copy of partition " + partition);
        }
        for (Map.Entry<String, Map<Integer, LagInfo>> store : lags.entrySet()) {
            LagInfo lag = store.getValue().get(partition);
            if (lag != null && lag.offsetLag() > MAX_STALE_OFFSET_LAG) {
                throw new UnavailableException("This instance's copy of store " + store.getKey() + ", partition "
                    + partition + ", is " + lag.offsetLag() + " changelog records behind; retry shortly");
            }
        }
    }

    @Override
    public Collection<HostInfo> allInstances() {
        Collection<StreamsMetadata> clients;
        try {
            clients = streams.metadataForAllStreamsClients();
        } catch (IllegalStateException | StreamsException e) {
            throw new UnavailableException("Kafka Streams is " + streams.state() + ", so the instances are not known",
                e);
        }
        Set<HostInfo> hosts = new LinkedHashSet<>();
        for (StreamsMetadata metadata : clients) {
            hosts.add(metadata.hostInfo());
        }
        return hosts;
    }
}
