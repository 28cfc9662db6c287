package io.tokenmonitor.processor.http;

import io.tokenmonitor.processor.query.UsageStores;
import java.util.Collection;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The view of Kafka Streams that query routing reads: its state, which instance owns a user's partition, and this
 * instance's stores. {@link StreamsClusterView} reads a running {@link KafkaStreams}; tests use a fake.
 */
public interface ClusterView {

    /** Returns the state of this instance's Kafka Streams. */
    KafkaStreams.State state();

    /**
     * Returns the active and standby hosts of the partition that contains {@code userId}, or
     * {@link KeyQueryMetadata#NOT_AVAILABLE} while the assignment is not known.
     */
    KeyQueryMetadata ownerOf(String userId);

    /**
     * Returns this instance's stores of one partition. Reading them throws
     * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} when this instance has no copy of the
     * partition, or has it only as a restoring or standby task and {@code allowStale} is false.
     *
     * @throws UnavailableException with {@code allowStale}, when the local copy has not caught up with its
     *     changelog, for example a standby that was just assigned and is still empty
     */
    UsageStores partitionStores(int partition, boolean allowStale);

    /**
     * Returns the HTTP address ({@code application.server}) of every instance of the application, this one
     * included.
     */
    Collection<HostInfo> allInstances();
}
