package io.tokenmonitor.bench.queries;

/**
 * Send times of an open-loop load at a fixed rate: request {@code n} is due at {@code start + n / rate},
 * whatever happened to earlier requests. Latency measured from the due time therefore includes the time a
 * request waited for a free connection, so a slow server cannot lower the offered load (coordinated omission).
 */
public record OpenLoopSchedule(long startNanos, int requestsPerSecond) {

    public OpenLoopSchedule {
        if (requestsPerSecond <= 0) {
            throw new IllegalArgumentException("Invalid rate " + requestsPerSecond + ": expected requests/s above 0");
        }
    }

    /** Returns the {@link System#nanoTime()} at which request {@code index} (from 0) is due. */
    public long sendTimeNanos(long index) {
        return startNanos + index * 1_000_000_000L / requestsPerSecond;
    }

    /** Returns how many requests fall due within {@code nanos} of the start. */
    public long requestsWithin(long nanos) {
        return nanos * requestsPerSecond / 1_000_000_000L;
    }
}
