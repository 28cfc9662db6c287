package io.tokenmonitor.agent.simulate;

import io.tokenmonitor.agent.send.RequestSource;
import io.tokenmonitor.schema.TokenRequest;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * A source of generated requests that ends after a number of requests or a duration, whichever comes
 * first, or never when neither is set.
 */
public final class SimulatedSource implements RequestSource {

    private final RequestGenerator generator;
    private final long maxCount;
    private final LongSupplier nanoTime;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private long produced;

    /**
     * Creates a source; the duration is measured from this call.
     *
     * @param maxCount the number of requests to produce, or 0 for no limit
     * @param duration how long to produce requests, or null for no limit
     * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public SimulatedSource(RequestGenerator generator, long maxCount, Duration duration, LongSupplier nanoTime) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("Invalid count " + maxCount + ": expected 0 or more");
        }
        this.generator = generator;
        this.maxCount = maxCount;
        this.nanoTime = nanoTime;
        this.hasDeadline = duration != null;
        this.deadlineNanos = hasDeadline ? nanoTime.getAsLong() + duration.toNanos() : 0;
    }

    @Override
    public boolean hasNext() {
        if (maxCount > 0 && produced >= maxCount) {
            return false;
        }
        return !hasDeadline || nanoTime.getAsLong() - deadlineNanos < 0;
    }

    @Override
    public TokenRequest next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The simulation has reached its count or duration");
        }
        produced++;
        return generator.next();
    }
}
