package io.tokenmonitor.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.RequestCorpus;
import io.tokenmonitor.kafka.KafkaClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks the benchmark's plumbing with a tiny input. It asserts counts, never timings. */
class CatchUpPhasesTest {

    private static final int REQUESTS = 200;

    @Test
    @Timeout(300)
    void eachPhaseConsumesEveryRequest() throws Exception {
        RequestCorpus corpus = RequestCorpus.load(null);
        try (BenchStack stack = BenchStack.start(2)) {
            ThroughputBenchmark.preload(stack, corpus, REQUESTS, 50);
            CatchUpPhases phases = CatchUpPhases.of(stack, KafkaClientSettings.none());
            assertEquals(REQUESTS, phases.inputRecords());

            PhaseTiming plain = phases.plainConsumer();
            assertEquals(REQUESTS, plain.records());

            PhaseTiming passThrough = phases.passThrough();
            assertEquals(REQUESTS, passThrough.records());

            PhaseTiming full = phases.fullTopology();
            assertEquals(REQUESTS, full.records());
            assertTrue(full.startupNanos() > 0, "start-up time should be measured");
        }
    }
}
