package io.tokenmonitor.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the registered resources in reverse order when the JVM is asked to stop (Ctrl-C, SIGTERM), and
 * lets the main thread wait for that moment.
 */
final class ShutdownLatch {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownLatch.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    ShutdownLatch() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "token-monitor-shutdown"));
    }

    /** Registers a resource to close at shutdown, after every resource registered later. */
    synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Blocks until shutdown has begun. */
    void await() throws InterruptedException {
        stopped.await();
    }

    /** Returns whether shutdown has begun. */
    boolean isStopping() {
        return stopped.getCount() == 0;
    }

    /** Closes every resource, newest first; safe to call more than once. */
    synchronized void closeAll() {
        stopped.countDown();
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Failed to close {} during shutdown", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
