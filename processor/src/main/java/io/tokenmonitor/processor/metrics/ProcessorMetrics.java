package io.tokenmonitor.processor.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokenmonitor.processor.validation.RejectionCounter;
import io.tokenmonitor.processor.validation.RejectionReason;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The metrics of one processor instance, served at {@code /metrics} in the Prometheus text format:
 *
 * <ul>
 *   <li>{@code token_monitor_requests_metered_total}: token requests that passed validation and were
 *       metered;</li>
 *   <li>{@code token_monitor_records_dead_lettered_total{reason}}: input records sent to the dead-letter
 *       topic, by rejection reason code;</li>
 *   <li>{@code token_monitor_alerts_raised_total}: alerts sent to the alerts topic;</li>
 *   <li>{@code token_monitor_http_requests_seconds{endpoint,forwarded,status}}: HTTP request latency. The
 *       {@code endpoint} tag is the route template, such as {@code /api/v1/users/{userId}/usage}, or
 *       {@value #UNMATCHED_ENDPOINT} for a request that reached no endpoint (unknown path, or rejected for
 *       its token first); {@code forwarded} is whether the request was forwarded to another instance;</li>
 *   <li>Kafka Streams' own metrics ({@code kafka_stream_*}), once {@link #bindStreams} is called.</li>
 * </ul>
 * All counts are since this process started.
 */
public final class ProcessorMetrics implements AutoCloseable {

    /** The {@code endpoint} tag of HTTP requests that matched no route. */
    public static final String UNMATCHED_ENDPOINT = "none";

    /** The Content-Type of {@link #scrape()}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KafkaStreamsMetrics streamsMetrics;

    public ProcessorMetrics(RejectionCounter rejections, ProcessingCounters counters) {
        FunctionCounter.builder("token.monitor.requests.metered", counters, ProcessingCounters::requestsMetered)
            .description("Token requests that passed validation and were metered")
            .register(registry);
        FunctionCounter.builder("token.monitor.alerts.raised", counters, ProcessingCounters::alertsRaised)
            .description("Alerts sent to the alerts topic")
            .register(registry);
        for (RejectionReason reason : RejectionReason.values()) {
            FunctionCounter.builder("token.monitor.records.dead.lettered", rejections, r -> r.count(reason))
                .description("Input records sent to the dead-letter topic, by rejection reason")
                .tag("reason", reason.code())
                .register(registry);
        }
    }

    /** Exports the metrics of a Kafka Streams instance until {@link #close()}. */
    public synchronized void bindStreams(KafkaStreams streams) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("A Kafka Streams instance is already bound");
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /**
     * Records the latency of one HTTP request.
     *
     * @param endpoint the route template, never the raw path, which contains user ids
     * @param forwarded whether the request was forwarded to another instance
     * @param status the HTTP status sent
     */
    public void recordHttpRequest(String endpoint, boolean forwarded, int status, Duration latency) {
        Timer.builder("token.monitor.http.requests")
            .description("Latency of HTTP requests by endpoint route template")
            .tag("endpoint", endpoint == null || endpoint.isEmpty() ? UNMATCHED_ENDPOINT : endpoint)
            .tag("forwarded", Boolean.toString(forwarded))
            .tag("status", Integer.toString(status))
            .register(registry)
            .record(latency);
    }

    /** Returns every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}
