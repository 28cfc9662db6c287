package io.tokenmonitor.bench.latency;

import io.tokenmonitor.bench.Samples;
import io.tokenmonitor.schema.UsageAlert;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches the output records of one measured run to the requests sent in it and records the time from each
 * send to the moment a reader saw the record, in {@link System#nanoTime()} units.
 *
 * <p>The producer thread calls {@link #sent}, one reader thread calls {@link #usageSeen} and another
 * {@link #alertSeen}. Each reader thread owns its samples, so {@link #usageSamples()} and {@link #alertSamples()}
 * may be read only after the readers have stopped.
 */
final class ArrivalMatcher {

    /** The {@code cause} of an alert raised by a request's tokens rather than by a plan change. */
    static final String REQUEST_CAUSE = "request";

    private final ConcurrentHashMap<String, Long> sendNanos = new ConcurrentHashMap<>();
    private final Set<String> alertingRequests = ConcurrentHashMap.newKeySet();
    private final Samples usageSamples = new Samples();
    private final Samples alertSamples = new Samples();
    private final AtomicLong usageMatched = new AtomicLong();
    private final AtomicLong usageUnmatched = new AtomicLong();
    private final AtomicLong alertsUnmatched = new AtomicLong();

    /** Stores the send time of a request. Records of requests never passed here are counted as unmatched. */
    void sent(String requestId, long nanos) {
        sendNanos.put(requestId, nanos);
    }

    /** Records the latency of the token-usage record of {@code requestId}, seen at {@code nanos}. */
    void usageSeen(String requestId, long nanos) {
        Long sent = sendNanos.get(requestId);
        if (sent == null) {
            usageUnmatched.incrementAndGet();
            return;
        }
        usageSamples.add(nanos - sent);
        usageMatched.incrementAndGet();
    }

    /**
     * Records the latency of an alert from the send of the request that crossed the threshold, which the alert
     * names. One request that crosses several thresholds at once raises one alert per threshold, and each is a
     * sample. Alerts raised by a plan change, and alerts of requests not sent in this run, are counted as
     * unmatched.
     */
    void alertSeen(UsageAlert alert, long nanos) {
        String requestId = alert.getRequestId().toString();
        Long sent = REQUEST_CAUSE.equals(alert.getCause().toString()) ? sendNanos.get(requestId) : null;
        if (sent == null) {
            alertsUnmatched.incrementAndGet();
            return;
        }
        alertingRequests.add(requestId);
        alertSamples.add(nanos - sent);
    }

    Samples usageSamples() {
        return usageSamples;
    }

    Samples alertSamples() {
        return alertSamples;
    }

    /** Returns the number of token-usage records matched so far. Any thread may call it. */
    long usageMatched() {
        return usageMatched.get();
    }

    /** Returns the number of token-usage records whose request was not sent in this run. */
    long usageUnmatched() {
        return usageUnmatched.get();
    }

    /** Returns the number of alerts not raised by a request sent in this run. */
    long alertsUnmatched() {
        return alertsUnmatched.get();
    }

    /** Returns the number of distinct requests that raised at least one matched alert. */
    int alertingRequests() {
        return alertingRequests.size();
    }
}
