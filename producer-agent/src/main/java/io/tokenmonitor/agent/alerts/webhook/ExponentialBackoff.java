package io.tokenmonitor.agent.alerts.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Delays between the attempts of a retried operation: exponential backoff with full jitter. Retry
 * {@code n} (1 for the first retry) waits a uniformly random time between zero and the ceiling
 * {@code min(max, initial * 2^(n-1))}, so many clients that failed together spread their retries out.
 */
public final class ExponentialBackoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    /**
     * Creates a schedule.
     *
     * @param initial the ceiling of the first retry's delay; positive
     * @param max the cap of every ceiling; at least {@code initial}
     * @param random the source of the jitter
     * @throws IllegalArgumentException when {@code initial} is not positive or {@code max} is below it
     */
    public ExponentialBackoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("Invalid initial delay " + initial + ": expected a positive duration");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Invalid maximum delay " + max + ": expected at least the initial "
                + "delay " + initial);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Returns the upper bound of the delay before retry {@code retry}: the initial delay doubled for each
     * earlier retry, capped at the maximum.
     *
     * @param retry 1 for the first retry, which follows the first failed attempt
     * @throws IllegalArgumentException when {@code retry} is below 1
     */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("Invalid retry number " + retry + ": expected 1 or more");
        }
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        // Doubling stops at the cap, so the product never overflows.
        long ceilingNanos = initialNanos;
        for (int i = 1; i < retry && ceilingNanos < maxNanos; i++) {
            ceilingNanos = ceilingNanos > maxNanos / 2 ? maxNanos : ceilingNanos * 2;
        }
        return Duration.ofNanos(Math.min(ceilingNanos, maxNanos));
    }

    /**
     * Returns a random delay before retry {@code retry}, uniformly distributed between zero and
     * {@link #ceiling(int)}, both inclusive.
     */
    public Duration delay(int retry) {
        long ceilingNanos = ceiling(retry).toNanos();
        return Duration.ofNanos(random.nextLong(0, ceilingNanos + 1));
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }
}
