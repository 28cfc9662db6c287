package io.tokenmonitor.agent.send;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints a progress line during long sends, at most once per interval: the records sent so far, the
 * send rate since the previous line, and the failures so far.
 */
public final class ProgressReporter {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final PrintWriter err;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private long lastReportNanos;
    private long lastReportSent;

    public ProgressReporter(PrintWriter err, LongSupplier nanoTime, Duration interval) {
        this.err = err;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
        this.lastReportNanos = nanoTime.getAsLong();
    }

    /** Creates a reporter on the system clock with the default interval. */
    public static ProgressReporter system(PrintWriter err) {
        return new ProgressReporter(err, System::nanoTime, DEFAULT_INTERVAL);
    }

    /** Records the current counts and prints a line if the interval has passed since the last one. */
    public void update(long sent, long failed) {
        long now = nanoTime.getAsLong();
        long elapsedNanos = now - lastReportNanos;
        if (elapsedNanos < intervalNanos) {
            return;
        }
        double ratePerSecond = (sent - lastReportSent) * 1e9 / elapsedNanos;
        err.printf(Locale.ROOT, "progress: %d records sent, %.1f records/s, %d failed%n", sent, ratePerSecond, failed);
        err.flush();
        lastReportNanos = now;
        lastReportSent = sent;
    }
}
