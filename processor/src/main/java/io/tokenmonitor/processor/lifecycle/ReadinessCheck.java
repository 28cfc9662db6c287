package io.tokenmonitor.processor.lifecycle;

import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** Decides whether an instance may serve queries, see {@link StreamsReadiness} for the processor's rule. */
@FunctionalInterface
public interface ReadinessCheck {

    /** Returns {@code READY}, or {@code NOT_READY} with the reason. */
    HealthReport check();

    /** Returns a check that is ready exactly while Kafka Streams is RUNNING, for tests and single stores. */
    static ReadinessCheck runningOnly(Supplier<KafkaStreams.State> state) {
        return () -> {
            KafkaStreams.State current = state.get();
            if (current == KafkaStreams.State.RUNNING) {
                return new HealthReport(HealthReport.READY, current.name(), null, null, null, null);
            }
            return new HealthReport(HealthReport.NOT_READY, current.name(),
                "Kafka Streams is " + current + ", not RUNNING", null, null, null);
        };
    }
}
