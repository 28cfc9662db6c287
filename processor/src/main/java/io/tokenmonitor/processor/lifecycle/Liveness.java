package io.tokenmonitor.processor.lifecycle;

import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness of a processor instance, judged from its Kafka Streams state alone. Kafka Streams enters
 * PENDING_ERROR and then ERROR when its last stream thread dies without a replacement, and PENDING_SHUTDOWN and
 * NOT_RUNNING when it is closed, so any of these four means the instance no longer processes records and should
 * be restarted. CREATED, REBALANCING and RUNNING are alive.
 */
public final class Liveness {

    private static final Set<KafkaStreams.State> DOWN_STATES = Set.of(KafkaStreams.State.ERROR,
        KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN);

    private Liveness() {
    }

    /** Returns {@code UP} for a live state, else {@code DOWN} with the reason. */
    public static HealthReport check(KafkaStreams.State state) {
        if (DOWN_STATES.contains(state)) {
            return new HealthReport(HealthReport.DOWN, state.name(),
                "Kafka Streams is " + state + ", so no stream thread processes records", null, null, null);
        }
        return new HealthReport(HealthReport.UP, state.name(), null, null, null, null);
    }
}
