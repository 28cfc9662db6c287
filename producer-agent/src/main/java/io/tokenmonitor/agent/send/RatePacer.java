package io.tokenmonitor.agent.send;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces sends evenly at a fixed rate. Send slots are scheduled from the first call, one every
 * {@code 1 / rate} seconds, so time spent sending does not lower the rate. When the caller falls more
 * than {@link #MAX_BACKLOG} behind the schedule, the schedule restarts from the current time instead of
 * sending a burst to catch up.
 */
public final class RatePacer {

    /** Waits for a number of nanoseconds; may return early. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** How far behind the schedule the caller may fall before the schedule restarts. */
    public static final Duration MAX_BACKLOG = Duration.ofSeconds(1);

    private static final double NANOS_PER_SECOND = 1e9;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private boolean started;
    private long nextSlotNanos;

    /**
     * Creates a pacer.
     *
     * @param ratePerSecond sends per second; 0 means no pacing
     * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     * @param sleeper waits between sends
     * @throws IllegalArgumentException if the rate is negative, not finite, or above one per nanosecond
     */
    public RatePacer(double ratePerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("Invalid rate " + ratePerSecond + ": expected 0 or a positive number");
        }
        if (ratePerSecond > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("Invalid rate " + ratePerSecond + ": at most 1e9 per second");
        }
        this.intervalNanos = ratePerSecond == 0 ? 0 : Math.round(NANOS_PER_SECOND / ratePerSecond);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** Creates a pacer on the system's monotonic clock that sleeps the current thread. */
    public static RatePacer system(double ratePerSecond) {
        return new RatePacer(ratePerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** Returns the time between two sends in nanoseconds, 0 when unpaced. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** Blocks until the next send slot; returns at once when unpaced. */
    public void awaitNextSlot() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!started || now - nextSlotNanos > MAX_BACKLOG.toNanos()) {
            nextSlotNanos = now;
            started = true;
        }

        long waitNanos = nextSlotNanos - now;
        if (waitNanos > 0) {
            sleeper.sleepNanos(waitNanos);
        }
        nextSlotNanos += intervalNanos;
    }
}
