package io.tokenmonitor.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Closes the registered resources in reverse order of registration when the process is asked to stop, and lets
 * the main thread wait for that moment.
 *
 * <p>{@link #onSignals()} handles SIGTERM and SIGINT (Ctrl-C) itself: the first signal wakes the main thread,
 * which closes everything in order and returns its exit code, so a stopped command exits with 0 rather than
 * with the JVM's 143 or 130. A second signal while closing halts the JVM at once with 128 plus the signal
 * number. A JVM shutdown hook closes whatever is still open if the JVM exits another way.
 */
final class ShutdownLatch {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownLatch.class);

    private final Deque<Resource> resources = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    ShutdownLatch() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "token-monitor-shutdown"));
    }

    /** Creates a latch that SIGTERM and SIGINT raise, for the commands' main threads. */
    static ShutdownLatch onSignals() {
        ShutdownLatch latch = new ShutdownLatch();
        // NOTE: sun.misc.Signal is the JDK's only API that replaces the default exit on a signal. It lives in
        // module jdk.unsupported, which JDK 17 ships.
        Signal.handle(new Signal("TERM"), latch::onSignal);
        Signal.handle(new Signal("INT"), latch::onSignal);
        return latch;
    }

    private void onSignal(Signal signal) {
        if (isStopping()) {
            LOG.warn("Received SIG{} again while stopping; exiting at once", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        LOG.info("Received SIG{}; shutting down", signal.getName());
        requestStop();
    }

    /**
     * Registers a resource to close at shutdown, after every resource registered later.
     *
     * @param name what the resource is, for the log lines of the shutdown
     */
    synchronized <T extends AutoCloseable> T register(String name, T resource) {
        resources.push(new Resource(name, resource));
        return resource;
    }

    /** Registers a resource under its class name; see {@link #register(String, AutoCloseable)}. */
    <T extends AutoCloseable> T register(T resource) {
        return register(resource.getClass().getSimpleName(), resource);
    }

    /** Wakes the thread in {@link #await()} without closing anything. */
    void requestStop() {
        stopped.countDown();
    }

    /** Blocks until shutdown has begun. */
    void await() throws InterruptedException {
        stopped.await();
    }

    /** Blocks until shutdown has begun, then closes every resource; returns the exit code 0. */
    int awaitAndClose() throws InterruptedException {
        await();
        closeAll();
        return 0;
    }

    /** Returns whether shutdown has begun. */
    boolean isStopping() {
        return stopped.getCount() == 0;
    }

    /** Closes every resource, newest first, logging each step at INFO; safe to call more than once. */
    synchronized void closeAll() {
        stopped.countDown();
        if (resources.isEmpty()) {
            return;
        }
        while (!resources.isEmpty()) {
            Resource resource = resources.pop();
            LOG.info("Shutdown: closing {}", resource.name());
            try {
                resource.closeable().close();
            } catch (Exception e) {
                LOG.warn("Failed to close {} during shutdown", resource.name(), e);
            }
        }
        LOG.info("Shutdown complete");
    }

    private record Resource(String name, AutoCloseable closeable) {
    }
}
