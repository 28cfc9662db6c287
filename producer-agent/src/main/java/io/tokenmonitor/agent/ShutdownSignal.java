package io.tokenmonitor.agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop request for a running subcommand, raised by Ctrl-C (a JVM shutdown hook) or by
 * {@link #requestStop()}. The shutdown hook waits, for at most {@link #GRACE_PERIOD}, until the command
 * has closed this signal, so the command can flush its producer or close its consumer before the JVM
 * exits.
 */
public final class ShutdownSignal implements AutoCloseable {

    /** How long the shutdown hook waits for the command to finish after Ctrl-C. */
    public static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Runnable onStop;
    private final Thread hook;

    private ShutdownSignal(Runnable onStop, boolean installHook) {
        this.onStop = onStop;
        this.hook = installHook ? new Thread(this::stopAndAwaitFinish, "agent-shutdown") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /**
     * Creates a signal raised by Ctrl-C.
     *
     * @param onStop runs once when the stop is requested, on the requesting thread, for example to wake
     *     up a blocked consumer; may be null
     */
    public static ShutdownSignal onCtrlC(Runnable onStop) {
        return new ShutdownSignal(onStop, true);
    }

    /** Creates a signal raised only by {@link #requestStop()}, for tests and embedded use. */
    public static ShutdownSignal manual(Runnable onStop) {
        return new ShutdownSignal(onStop, false);
    }

    /** Raises the signal and runs the stop action if this is the first request. */
    public void requestStop() {
        boolean first;
        synchronized (stopRequested) {
            first = stopRequested.getCount() > 0;
            stopRequested.countDown();
        }
        if (first && onStop != null) {
            onStop.run();
        }
    }

    public boolean isStopRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Sleeps for the given time, returning early when a stop is requested. */
    public void sleepNanos(long nanos) throws InterruptedException {
        stopRequested.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Marks the command finished and removes the shutdown hook. */
    @Override
    public void close() {
        finished.countDown();
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running, and it returns once the finished latch above is counted down.
        }
    }

    private void stopAndAwaitFinish() {
        requestStop();
        try {
            finished.await(GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
