package io.tokenmonitor.processor.http;

import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A {@link ClusterView} over a {@link KafkaStreams} instance. Every input topic is keyed by user id and has
 * the same partition count, so the partition of a user's key in the periods store's source topic is the
 * partition of every store that holds the user's data.
 */
public final class StreamsClusterView implements ClusterView {

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

    @Override
    public UsageStores partitionStores(int partition, boolean allowStale) {
        return StreamsStores.onePartition(streams, partition, allowStale);
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
