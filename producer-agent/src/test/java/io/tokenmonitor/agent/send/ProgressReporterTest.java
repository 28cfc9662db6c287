package io.tokenmonitor.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final FakeTime time = new FakeTime();
    private final StringWriter err = new StringWriter();
    private final ProgressReporter reporter =
        new ProgressReporter(new PrintWriter(err), time::nanoTime, Duration.ofSeconds(2));

    @Test
    void shouldStayQuietWithinInterval() {
        time.advance(Duration.ofMillis(1999));
        reporter.update(500, 0);

        assertEquals("", err.toString());
    }

    @Test
    void shouldPrintRateSinceLastLine() {
        time.advance(Duration.ofSeconds(2));
        reporter.update(1000, 0);
        time.advance(Duration.ofMillis(500));
        reporter.update(1100, 0);
        time.advance(Duration.ofMillis(3500));
        reporter.update(3000, 2);

        String[] lines = err.toString().split(System.lineSeparator());
        assertEquals(2, lines.length);
        assertEquals("progress: 1000 records sent, 500.0 records/s, 0 failed", lines[0]);
        assertEquals("progress: 3000 records sent, 500.0 records/s, 2 failed", lines[1]);
    }
}
