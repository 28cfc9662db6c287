package io.tokenmonitor.processor.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LivenessTest {

    private static final Set<KafkaStreams.State> LIVE = Set.of(KafkaStreams.State.CREATED,
        KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

    @ParameterizedTest
    @EnumSource(KafkaStreams.State.class)
    void shouldBeUpOnlyInLiveStates(KafkaStreams.State state) {
        HealthReport report = Liveness.check(state);

        assertEquals(state.name(), report.streamsState());
        if (LIVE.contains(state)) {
            assertEquals(HealthReport.UP, report.status());
            assertNull(report.reason());
        } else {
            assertEquals(HealthReport.DOWN, report.status());
            assertNotNull(report.reason());
        }
    }
}
