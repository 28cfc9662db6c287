package io.tokenmonitor.agent.send;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A monotonic clock for tests that only moves when a test advances it or something sleeps on it. */
final class FakeTime {

    private long nanos = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();

    long nanoTime() {
        return nanos;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    void sleepNanos(long sleepNanos) {
        sleeps.add(Duration.ofNanos(sleepNanos));
        nanos += sleepNanos;
    }
}
