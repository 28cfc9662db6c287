package io.tokenmonitor.bench.queries;

import io.tokenmonitor.bench.Samples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load on {@code GET /api/v1/users/{id}/usage} for random users, over a fixed number of
 * keep-alive connections. Each connection thread takes the next due request from one shared
 * {@link OpenLoopSchedule}, waits for its due time, sends it and records the latency from the due time, so a
 * request that found every connection busy counts its wait. Latencies are split by {@link UserClassification}.
 */
final class LoadGenerator {

    private final InetSocketAddress address;
    private final String headers;
    private final UserClassification users;
    private final int connections;

    /**
     * @param headers the header lines sent with every request, each ending in CRLF
     * @param connections the number of connections, each with its own thread
     */
    LoadGenerator(InetSocketAddress address, String headers, UserClassification users, int connections) {
        this.address = address;
        this.headers = headers;
        this.users = users;
        this.connections = connections;
    }

    /** Figures of one load run: measured requests only, warm-up excluded. */
    record Outcome(Samples local, Samples forwarded, long errors, long completed, Duration measuredTime) {

        double requestsPerSecond() {
            return completed / (measuredTime.toNanos() / 1e9);
        }
    }

    /**
     * Sends requests at {@code requestsPerSecond} for {@code warmUp} plus {@code duration}, and returns the
     * figures of the requests due after the warm-up.
     */
    Outcome run(int requestsPerSecond, Duration warmUp, Duration duration, long seed) throws InterruptedException {
        OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + 50_000_000L, requestsPerSecond);
        long firstMeasured = schedule.requestsWithin(warmUp.toNanos());
        long total = schedule.requestsWithin(warmUp.plus(duration).toNanos());
        AtomicLong next = new AtomicLong();

        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Worker worker = new Worker(schedule, next, firstMeasured, total, new SplittableRandom(seed + i));
            workers.add(worker);
            Thread thread = new Thread(worker, "query-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Samples local = Samples.merge(workers.stream().map(w -> w.local).toList());
        Samples forwarded = Samples.merge(workers.stream().map(w -> w.forwarded).toList());
        long errors = workers.stream().mapToLong(w -> w.errors).sum();
        long completed = workers.stream().mapToLong(w -> w.completed).sum();
        long lastDone = workers.stream().mapToLong(w -> w.lastDoneNanos).max().orElseThrow();
        Duration measured = Duration.ofNanos(lastDone - schedule.sendTimeNanos(firstMeasured));
        return new Outcome(local, forwarded, errors, completed, measured);
    }

    /** One connection and its thread, with its own samples. */
    private final class Worker implements Runnable {

        private final OpenLoopSchedule schedule;
        private final AtomicLong next;
        private final long firstMeasured;
        private final long total;
        private final SplittableRandom random;
        private final Samples local = new Samples();
        private final Samples forwarded = new Samples();
        private long errors;
        private long completed;
        private long lastDoneNanos;

        Worker(OpenLoopSchedule schedule, AtomicLong next, long firstMeasured, long total, SplittableRandom random) {
            this.schedule = schedule;
            this.next = next;
            this.firstMeasured = firstMeasured;
            this.total = total;
            this.random = random;
        }

        @Override
        public void run() {
            try (KeepAliveConnection connection = new KeepAliveConnection(address, headers)) {
                for (long index = next.getAndIncrement(); index < total; index = next.getAndIncrement()) {
                    int user = random.nextInt(users.size());
                    long due = schedule.sendTimeNanos(index);
                    waitUntil(due);
                    int status = send(connection, users.usagePath(user));
                    long done = System.nanoTime();
                    if (index < firstMeasured) {
                        continue;
                    }
                    completed++;
                    lastDoneNanos = Math.max(lastDoneNanos, done);
                    if (status != 200) {
                        errors++;
                    } else if (users.isLocal(user)) {
                        local.add(done - due);
                    } else {
                        forwarded.add(done - due);
                    }
                }
            }
        }

        /** Returns the status, or -1 when the request failed without one. */
        private static int send(KeepAliveConnection connection, String path) {
            try {
                return connection.get(path);
            } catch (IOException e) {
                return -1;
            }
        }

        private static void waitUntil(long dueNanos) {
            for (long left = dueNanos - System.nanoTime(); left > 0; left = dueNanos - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
