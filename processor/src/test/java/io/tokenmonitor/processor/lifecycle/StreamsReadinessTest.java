package io.tokenmonitor.processor.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsReadinessTest {

    private static final long MAX_LAG = 100;
    private static final Duration CACHE_TIME = Duration.ofSeconds(1);

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.RUNNING);
    private final AtomicInteger restoring = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicInteger lagCalls = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final StreamsReadiness readiness = new StreamsReadiness(state::get, restoring::get, () -> {
        lagCalls.incrementAndGet();
        return lag.get();
    }, MAX_LAG, CACHE_TIME, nanos::get);

    @Test
    void shouldBeReadyWhenCaughtUp() {
        lag.set(MAX_LAG);

        HealthReport report = readiness.check();

        assertEquals(HealthReport.READY, report.status());
        assertTrue(report.isHealthy());
        assertEquals("RUNNING", report.streamsState());
        assertNull(report.reason());
        assertEquals(MAX_LAG, report.inputLag());
        assertEquals(MAX_LAG, report.maxInputLag());
        assertEquals(0, report.restoringPartitions());
    }

    @Test
    void shouldNotBeReadyUnlessRunning() {
        for (KafkaStreams.State other : KafkaStreams.State.values()) {
            if (other == KafkaStreams.State.RUNNING) {
                continue;
            }
            state.set(other);

            HealthReport report = readiness.check();

            assertEquals(HealthReport.NOT_READY, report.status(), other.name());
            assertEquals(other.name(), report.streamsState());
            assertTrue(report.reason().contains(other.name()), report.reason());
        }
        assertEquals(0, lagCalls.get(), "no broker request while not RUNNING");
    }

    @Test
    void shouldNotBeReadyWhileRestoring() {
        restoring.set(3);

        HealthReport report = readiness.check();

        assertEquals(HealthReport.NOT_READY, report.status());
        assertEquals(3, report.restoringPartitions());
        assertTrue(report.reason().contains("restoring"), report.reason());
        assertEquals(0, lagCalls.get(), "no broker request while restoring");
    }

    @Test
    void shouldNotBeReadyWhenLagOverMaximum() {
        lag.set(MAX_LAG + 1);

        HealthReport report = readiness.check();

        assertEquals(HealthReport.NOT_READY, report.status());
        assertEquals(MAX_LAG + 1, report.inputLag());
        assertTrue(report.reason().contains("101 records"), report.reason());
    }

    @Test
    void shouldReuseLagWithinCacheTime() {
        lag.set(MAX_LAG + 1);
        assertFalse(readiness.check().isHealthy());

        lag.set(0);
        nanos.addAndGet(CACHE_TIME.toNanos() - 1);
        assertFalse(readiness.check().isHealthy(), "the cached lag is still over the maximum");
        assertEquals(1, lagCalls.get());

        nanos.addAndGet(1);
        assertTrue(readiness.check().isHealthy(), "the cache has expired");
        assertEquals(2, lagCalls.get());
    }

    @Test
    void shouldNotBeReadyWhenLagUnknown() {
        StreamsReadiness failing = new StreamsReadiness(state::get, restoring::get, () -> {
            throw new ExecutionException(new TimeoutException("no broker"));
        }, MAX_LAG, CACHE_TIME, nanos::get);

        HealthReport report = failing.check();

        assertEquals(HealthReport.NOT_READY, report.status());
        assertTrue(report.reason().startsWith("Input lag is unknown"), report.reason());
        assertTrue(report.reason().contains("no broker"), report.reason());
    }

    @Test
    void shouldRejectNegativeMaximum() {
        assertThrows(IllegalArgumentException.class,
            () -> new StreamsReadiness(state::get, restoring::get, lag::get, -1, CACHE_TIME, nanos::get));
    }
}
