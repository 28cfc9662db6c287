package io.tokenmonitor.processor.lifecycle;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the changelog partitions of active tasks that are being restored, and logs each restoration at INFO.
 * Kafka Streams calls it from its restoring threads. Standby tasks do not call a restore listener, so they are
 * not counted.
 */
public final class RestorationTracker implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestorationTracker.class);

    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(partition);
        LOG.info("Restoring store {} from {} offsets {} to {}", storeName, partition, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        // Only the start and the end matter for readiness.
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
        LOG.info("Restored store {} from {}: {} records", storeName, partition, totalRestored);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
        LOG.info("Suspended restoring store {} from {} after {} records, because the task moved", storeName,
            partition, totalRestored);
    }

    /** Returns the number of changelog partitions whose restoration has started and not ended. */
    public int restoringPartitions() {
        return restoring.size();
    }
}
