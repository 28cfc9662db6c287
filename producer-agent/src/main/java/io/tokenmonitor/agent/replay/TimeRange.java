package io.tokenmonitor.agent.replay;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A half-open event-time range [from, to) over which replayed records are spread evenly in file order.
 */
public record TimeRange(Instant from, Instant to) {

    /** @throws IllegalArgumentException unless from is before to */
    public TimeRange {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("Invalid time range: from " + from + " is not before to " + to);
        }
    }

    /**
     * Returns the timestamp of record {@code index} of {@code count}: {@code from + (to - from) * index /
     * count}, rounded down to the millisecond. Record 0 gets {@code from}, and every timestamp is before
     * {@code to}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < count}
     */
    public Instant instantAt(long index, long count) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("Record index " + index + " is outside 0.." + (count - 1));
        }
        long fromMs = from.toEpochMilli();
        BigInteger spanMs = BigInteger.valueOf(to.toEpochMilli() - fromMs);
        long offsetMs = spanMs.multiply(BigInteger.valueOf(index)).divide(BigInteger.valueOf(count)).longValueExact();
        return Instant.ofEpochMilli(fromMs + offsetMs);
    }
}
