package io.tokenmonitor.processor.lifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer lag of the input partitions an instance owns: for each partition, the last stable offset
 * (the end that a read_committed consumer reads to) minus the group's committed offset, summed. A partition
 * without a committed offset counts from its log start offset, where Kafka Streams starts reading it. Each
 * call makes two or three requests to the brokers, so callers should cache the result.
 */
public final class InputLag {

    private final Admin admin;
    private final String groupId;
    private final Supplier<Set<TopicPartition>> ownedPartitions;
    private final Duration timeout;

    /**
     * @param groupId the consumer group, which for Kafka Streams is the application id
     * @param ownedPartitions the input partitions of this instance's active tasks
     * @param timeout time limit of each request to the brokers
     */
    public InputLag(Admin admin, String groupId, Supplier<Set<TopicPartition>> ownedPartitions, Duration timeout) {
        this.admin = admin;
        this.groupId = groupId;
        this.ownedPartitions = ownedPartitions;
        this.timeout = timeout;
    }

    /**
     * Returns the summed lag of the owned partitions, 0 when there are none.
     *
     * @throws ExecutionException if a request to the brokers failed
     * @throws TimeoutException if a request took longer than the timeout
     */
    public long records() throws ExecutionException, InterruptedException, TimeoutException {
        Set<TopicPartition> partitions = ownedPartitions.get();
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());

        Map<TopicPartition, Long> starts = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                starts.put(partition, offset.offset());
            }
        }
        Set<TopicPartition> uncommitted = new HashSet<>(partitions);
        uncommitted.removeAll(starts.keySet());
        if (!uncommitted.isEmpty()) {
            starts.putAll(offsets(uncommitted, OffsetSpec.earliest()));
        }

        long lag = 0;
        for (TopicPartition partition : partitions) {
            lag += Math.max(0, ends.get(partition) - starts.get(partition));
        }
        return lag;
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
        throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition partition : partitions) {
            request.put(partition, spec);
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin
            .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
