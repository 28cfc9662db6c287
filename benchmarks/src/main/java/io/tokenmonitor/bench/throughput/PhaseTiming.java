package io.tokenmonitor.bench.throughput;

/**
 * Timing of one consumer catching up on a full input topic.
 *
 * @param records records the consumer processed
 * @param startupNanos time from starting the consumer to its first processed record: client start, group join,
 *     rebalance and, for Kafka Streams, state store initialisation
 * @param steadyNanos time from the first processed record to the last
 * @param committedNanos time from the last processed record until the group's committed offsets reached the end
 *     offsets, or 0 for the plain consumer, which commits nothing
 */
public record PhaseTiming(long records, long startupNanos, long steadyNanos, long committedNanos) {

    /** Returns the steady-state rate: records processed per second from the first record to the last. */
    public double eventsPerSecond() {
        return steadyNanos == 0 ? 0 : records * 1e9 / steadyNanos;
    }

    public double startupMs() {
        return startupNanos / 1e6;
    }

    public double committedMs() {
        return committedNanos / 1e6;
    }
}
