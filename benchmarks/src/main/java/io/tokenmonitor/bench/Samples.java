package io.tokenmonitor.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Recorded durations in nanoseconds, with their percentiles. Not thread-safe: each recording thread keeps its own
 * and {@link #merge} joins them.
 */
public final class Samples {

    private long[] values = new long[1024];
    private int count;

    public void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    public int count() {
        return count;
    }

    /** Returns the samples of all parts in one. */
    public static Samples merge(List<Samples> parts) {
        Samples merged = new Samples();
        for (Samples part : parts) {
            for (int i = 0; i < part.count; i++) {
                merged.add(part.values[i]);
            }
        }
        return merged;
    }

    /**
     * Returns the value at {@code percentile} (0 to 100) by the nearest-rank method, in milliseconds.
     *
     * @throws IllegalStateException when nothing was recorded
     */
    public double percentileMs(double percentile) {
        if (count == 0) {
            throw new IllegalStateException("No samples recorded");
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }

    public double maxMs() {
        return percentileMs(100);
    }

    /** Returns the median of the figures of repeated runs; the mean of the middle two for an even count. */
    public static double median(List<Double> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("No runs to take the median of");
        }
        double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
