package io.tokenmonitor.agent.alerts.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void shouldDoubleCeilingUntilCap() {
        ExponentialBackoff backoff = new ExponentialBackoff(INITIAL, MAX, new SplittableRandom(1));

        assertEquals(Duration.ofMillis(100), backoff.ceiling(1));
        assertEquals(Duration.ofMillis(200), backoff.ceiling(2));
        assertEquals(Duration.ofMillis(400), backoff.ceiling(3));
        assertEquals(Duration.ofMillis(3200), backoff.ceiling(6));
        assertEquals(MAX, backoff.ceiling(7));
        assertEquals(MAX, backoff.ceiling(1_000));
        assertEquals(MAX, backoff.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void shouldCapUnevenCeiling() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(300), Duration.ofMillis(1000),
            new SplittableRandom(1));

        assertEquals(Duration.ofMillis(600), backoff.ceiling(2));
        assertEquals(Duration.ofMillis(1000), backoff.ceiling(3));
    }

    @Test
    void shouldKeepJitteredDelaysWithinZeroAndCeiling() {
        ExponentialBackoff backoff = new ExponentialBackoff(INITIAL, MAX, new SplittableRandom(42));

        for (int retry = 1; retry <= 12; retry++) {
            Duration ceiling = backoff.ceiling(retry);
            Set<Duration> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                Duration delay = backoff.delay(retry);
                assertTrue(!delay.isNegative(), "retry " + retry + ": " + delay);
                assertTrue(delay.compareTo(ceiling) <= 0, "retry " + retry + ": " + delay + " > " + ceiling);
                seen.add(delay);
            }
            assertTrue(seen.size() > 100, "retry " + retry + " should spread its delays, got " + seen.size());
        }
    }

    @Test
    void shouldSpreadDelaysOverWholeRange() {
        ExponentialBackoff backoff = new ExponentialBackoff(INITIAL, MAX, new SplittableRandom(7));
        long ceilingNanos = backoff.ceiling(3).toNanos();
        int lowerQuarter = 0;
        int upperQuarter = 0;

        for (int i = 0; i < 4_000; i++) {
            long delayNanos = backoff.delay(3).toNanos();
            if (delayNanos < ceilingNanos / 4) {
                lowerQuarter++;
            } else if (delayNanos > ceilingNanos * 3 / 4) {
                upperQuarter++;
            }
        }

        // A uniform distribution puts about 1,000 of 4,000 delays in each quarter.
        assertTrue(lowerQuarter > 850, "lower quarter: " + lowerQuarter);
        assertTrue(lowerQuarter < 1150, "lower quarter: " + lowerQuarter);
        assertTrue(upperQuarter > 850, "upper quarter: " + upperQuarter);
        assertTrue(upperQuarter < 1150, "upper quarter: " + upperQuarter);
    }

    @Test
    void shouldReachBothEndsOfRange() {
        RandomGenerator lowest = fixedRandom(true);
        RandomGenerator highest = fixedRandom(false);

        assertEquals(Duration.ZERO, new ExponentialBackoff(INITIAL, MAX, lowest).delay(4));
        assertEquals(Duration.ofMillis(800), new ExponentialBackoff(INITIAL, MAX, highest).delay(4));
        assertEquals(MAX, new ExponentialBackoff(INITIAL, MAX, highest).delay(40));
    }

    @Test
    void shouldRejectInvalidSettings() {
        SplittableRandom random = new SplittableRandom(1);

        assertThrows(IllegalArgumentException.class, () -> new ExponentialBackoff(Duration.ZERO, MAX, random));
        assertThrows(IllegalArgumentException.class,
            () -> new ExponentialBackoff(Duration.ofMillis(-1), MAX, random));
        assertThrows(IllegalArgumentException.class,
            () -> new ExponentialBackoff(MAX, INITIAL, random));
        assertThrows(IllegalArgumentException.class,
            () -> new ExponentialBackoff(INITIAL, MAX, random).ceiling(0));
    }

    /** Returns a generator whose bounded longs are always the lowest or always the highest value allowed. */
    private static RandomGenerator fixedRandom(boolean lowest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded longs are expected");
            }

            @Override
            public long nextLong(long origin, long bound) {
                return lowest ? origin : bound - 1;
            }
        };
    }
}
