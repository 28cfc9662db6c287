package io.tokenmonitor.processor.lifecycle;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness of a processor instance: whether its stores hold up-to-date totals, so a load balancer may send it
 * queries. The instance is ready when all three hold, checked in this order:
 *
 * <ol>
 *   <li>Kafka Streams is RUNNING, so no rebalance is moving partitions;</li>
 *   <li>no changelog partition of an active task is restoring (see {@link RestorationTracker});</li>
 *   <li>the {@link InputLag} of the input partitions the instance owns is at most {@code maxInputLag} records,
 *       so its totals include nearly every request the brokers hold.</li>
 * </ol>
 *
 * <p>The lag costs requests to the brokers, so it is computed at most once per {@code lagCacheTime} and only when
 * the first two checks pass. A failed lag request makes the instance not ready until the next computation. With
 * exactly-once processing the group's offsets are committed every commit interval (100 ms by default), so a busy
 * instance that keeps up still shows a lag of up to one interval's records.
 */
public final class StreamsReadiness implements ReadinessCheck {

    /** Records of input that may wait unprocessed while the instance counts as ready. */
    public static final long DEFAULT_MAX_INPUT_LAG = 1_000;
    /** How long one lag computation is reused. */
    public static final Duration DEFAULT_LAG_CACHE_TIME = Duration.ofSeconds(1);

    private final Supplier<KafkaStreams.State> state;
    private final IntSupplier restoringPartitions;
    private final LagSource lag;
    private final long maxInputLag;
    private final long lagCacheNanos;
    private final LongSupplier nanoTime;

    private long lagComputedAtNanos;
    private CachedLag cachedLag;

    /** Source of the input lag in records, {@link InputLag#records()} in production. */
    @FunctionalInterface
    public interface LagSource {
        long records() throws ExecutionException, InterruptedException, TimeoutException;
    }

    /**
     * @param nanoTime the monotonic clock of the cache, {@link System#nanoTime()} in production
     */
    public StreamsReadiness(Supplier<KafkaStreams.State> state, IntSupplier restoringPartitions, LagSource lag,
                            long maxInputLag, Duration lagCacheTime, LongSupplier nanoTime) {
        if (maxInputLag < 0) {
            throw new IllegalArgumentException("Maximum input lag must not be negative, got " + maxInputLag);
        }
        this.state = state;
        this.restoringPartitions = restoringPartitions;
        this.lag = lag;
        this.maxInputLag = maxInputLag;
        this.lagCacheNanos = lagCacheTime.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public HealthReport check() {
        KafkaStreams.State current = state.get();
        if (current != KafkaStreams.State.RUNNING) {
            return notReady(current, "Kafka Streams is " + current + ", not RUNNING", null, null);
        }
        int restoring = restoringPartitions.getAsInt();
        if (restoring > 0) {
            return notReady(current, restoring + " changelog partitions of active tasks are still restoring",
                restoring, null);
        }

        CachedLag inputLag = inputLag();
        if (inputLag.error() != null) {
            return notReady(current, "Input lag is unknown: " + inputLag.error(), 0, null);
        }
        if (inputLag.records() > maxInputLag) {
            return notReady(current, "Input lag of " + inputLag.records() + " records is over the maximum of "
                + maxInputLag, 0, inputLag.records());
        }
        return new HealthReport(HealthReport.READY, current.name(), null, 0, inputLag.records(), maxInputLag);
    }

    private HealthReport notReady(KafkaStreams.State current, String reason, Integer restoring, Long inputLag) {
        return new HealthReport(HealthReport.NOT_READY, current.name(), reason, restoring, inputLag, maxInputLag);
    }

    /** Returns the cached lag, computing it first when the cache is empty or older than the cache time. */
    private synchronized CachedLag inputLag() {
        long now = nanoTime.getAsLong();
        if (cachedLag != null && now - lagComputedAtNanos < lagCacheNanos) {
            return cachedLag;
        }
        try {
            cachedLag = new CachedLag(lag.records(), null);
        } catch (ExecutionException e) {
            cachedLag = new CachedLag(-1, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            cachedLag = new CachedLag(-1, "the brokers did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cachedLag = new CachedLag(-1, "interrupted");
        } catch (RuntimeException e) {
            cachedLag = new CachedLag(-1, e.toString());
        }
        lagComputedAtNanos = now;
        return cachedLag;
    }

    private record CachedLag(long records, String error) {
    }
}
