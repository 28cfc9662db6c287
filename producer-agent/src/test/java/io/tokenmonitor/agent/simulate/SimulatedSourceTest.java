package io.tokenmonitor.agent.simulate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedSourceTest {

    private final RequestGenerator generator =
        new RequestGenerator(2, 50, new Random(5), new SyntheticTexts(), Clock.systemUTC());
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void shouldEndAfterCount() {
        SimulatedSource source = new SimulatedSource(generator, 3, null, nanos::get);

        assertNotNull(source.next());
        assertNotNull(source.next());
        assertNotNull(source.next());
        assertFalse(source.hasNext());
        assertThrows(NoSuchElementException.class, source::next);
    }

    @Test
    void shouldEndAfterDuration() {
        SimulatedSource source = new SimulatedSource(generator, 0, Duration.ofSeconds(30), nanos::get);

        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertTrue(source.hasNext());
        assertNotNull(source.next());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(source.hasNext());
    }

    @Test
    void shouldRunWithoutLimits() {
        SimulatedSource source = new SimulatedSource(generator, 0, null, nanos::get);

        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(Duration.ofDays(1).toNanos());
            assertTrue(source.hasNext());
            assertNotNull(source.next());
        }
    }
}
