package io.tokenmonitor.processor.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the topology did since this process started: requests metered and alerts raised.
 * Stream threads increment them; {@link ProcessorMetrics} exports them.
 *
 * <p>After a crash, records of an aborted transaction are processed again and counted again, so the
 * counts are a health signal, not a ledger.
 */
public final class ProcessingCounters {

    private final LongAdder requestsMetered = new LongAdder();
    private final LongAdder alertsRaised = new LongAdder();

    /** Counts one token request that passed validation and was metered. */
    public void requestMetered() {
        requestsMetered.increment();
    }

    /** Counts one alert sent to the alerts topic. */
    public void alertRaised() {
        alertsRaised.increment();
    }

    public long requestsMetered() {
        return requestsMetered.sum();
    }

    public long alertsRaised() {
        return alertsRaised.sum();
    }
}
