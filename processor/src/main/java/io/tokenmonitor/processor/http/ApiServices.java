package io.tokenmonitor.processor.http;

import io.tokenmonitor.processor.lifecycle.ReadinessCheck;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.query.UsageStores;
import io.tokenmonitor.processor.validation.RejectionCounter;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The stores, router, access control and counters the HTTP API uses.
 *
 * @param queries makes the queries over a set of stores
 * @param localStores every store of this instance, for scans across its users
 * @param router decides which instance serves a per-user request
 * @param access who may read what
 * @param rejections dead-letter counts of this instance
 * @param streamsState the state of this instance's Kafka Streams
 * @param clock the time that picks the period in progress
 * @param gatherer collects every instance's answer to the admin requests that read across users
 * @param readiness decides what {@code /ready} returns
 */
public record ApiServices(
    Function<UsageStores, UsageQueries> queries,
    UsageStores localStores,
    QueryRouter router,
    AccessControl access,
    RejectionCounter rejections,
    Supplier<KafkaStreams.State> streamsState,
    Clock clock,
    InstanceGatherer gatherer,
    ReadinessCheck readiness) {

    /** Creates services that are ready exactly while Kafka Streams is RUNNING. */
    public ApiServices(Function<UsageStores, UsageQueries> queries, UsageStores localStores, QueryRouter router,
                       AccessControl access, RejectionCounter rejections, Supplier<KafkaStreams.State> streamsState,
                       Clock clock, InstanceGatherer gatherer) {
        this(queries, localStores, router, access, rejections, streamsState, clock, gatherer,
            ReadinessCheck.runningOnly(streamsState));
    }

    /** Creates services whose admin requests read this instance's data only, as fits a single instance. */
    public ApiServices(Function<UsageStores, UsageQueries> queries, UsageStores localStores, QueryRouter router,
                       AccessControl access, RejectionCounter rejections, Supplier<KafkaStreams.State> streamsState,
                       Clock clock) {
        this(queries, localStores, router, access, rejections, streamsState, clock, InstanceGatherer.singleInstance());
    }
}
