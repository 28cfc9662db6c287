package io.tokenmonitor.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePacerTest {

    private final FakeTime time = new FakeTime();

    @Test
    void shouldSpaceSendsByInterval() throws InterruptedException {
        RatePacer pacer = new RatePacer(4, time::nanoTime, time::sleepNanos);
        long start = time.nanoTime();

        List<Duration> slots = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pacer.awaitNextSlot();
            slots.add(Duration.ofNanos(time.nanoTime() - start));
        }

        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750),
            Duration.ofMillis(1000)), slots);
        assertEquals(Collections.nCopies(4, Duration.ofMillis(250)), time.sleeps);
    }

    @Test
    void shouldSubtractSendTimeFromWait() throws InterruptedException {
        RatePacer pacer = new RatePacer(10, time::nanoTime, time::sleepNanos);

        for (int i = 0; i < 4; i++) {
            pacer.awaitNextSlot();
            time.advance(Duration.ofMillis(30));
        }

        assertEquals(Collections.nCopies(3, Duration.ofMillis(70)), time.sleeps);
    }

    @Test
    void shouldCatchUpShortDelayWithoutSleeping() throws InterruptedException {
        RatePacer pacer = new RatePacer(10, time::nanoTime, time::sleepNanos);
        pacer.awaitNextSlot();

        time.advance(Duration.ofMillis(500));
        for (int i = 0; i < 5; i++) {
            pacer.awaitNextSlot();
        }
        assertEquals(List.of(), time.sleeps, "slots at 100..500 ms are already due");

        pacer.awaitNextSlot();
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps);
    }

    @Test
    void shouldRestartScheduleAfterLongStall() throws InterruptedException {
        RatePacer pacer = new RatePacer(10, time::nanoTime, time::sleepNanos);
        pacer.awaitNextSlot();

        time.advance(Duration.ofSeconds(5));
        pacer.awaitNextSlot();
        pacer.awaitNextSlot();

        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps, "no burst of 50 sends after a 5 s stall");
    }

    @Test
    void shouldNeverSleepWhenRateIsZero() throws InterruptedException {
        RatePacer pacer = new RatePacer(0, () -> {
            throw new AssertionError("an unpaced pacer reads no clock");
        }, nanos -> {
            throw new AssertionError("an unpaced pacer never sleeps");
        });

        for (int i = 0; i < 1000; i++) {
            pacer.awaitNextSlot();
        }

        assertEquals(0, pacer.intervalNanos());
    }

    @Test
    void shouldAllowRatesBelowOnePerSecond() throws InterruptedException {
        RatePacer pacer = new RatePacer(0.5, time::nanoTime, time::sleepNanos);

        pacer.awaitNextSlot();
        pacer.awaitNextSlot();

        assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps);
    }

    @Test
    void shouldRejectInvalidRates() {
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(-1, time::nanoTime, time::sleepNanos));
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.NaN, time::nanoTime, time::sleepNanos));
        assertThrows(IllegalArgumentException.class,
            () -> new RatePacer(Double.POSITIVE_INFINITY, time::nanoTime, time::sleepNanos));
    }
}
