package io.tokenmonitor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void percentileUsesNearestRank() {
        Samples samples = new Samples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L);
        }

        assertEquals(50.0, samples.percentileMs(50));
        assertEquals(99.0, samples.percentileMs(99));
        assertEquals(100.0, samples.maxMs());
        assertEquals(1.0, samples.percentileMs(0));
    }

    @Test
    void mergeKeepsEverySample() {
        Samples first = new Samples();
        Samples second = new Samples();
        for (int i = 0; i < 3000; i++) {
            first.add(1_000_000L);
            second.add(3_000_000L);
        }

        Samples merged = Samples.merge(List.of(first, second));

        assertEquals(6000, merged.count());
        assertEquals(1.0, merged.percentileMs(50));
        assertEquals(3.0, merged.percentileMs(51));
    }

    @Test
    void medianOfOddAndEvenRuns() {
        assertEquals(2.0, Samples.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Samples.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void emptySamplesRejected() {
        assertThrows(IllegalStateException.class, () -> new Samples().percentileMs(50));
        assertThrows(IllegalArgumentException.class, () -> Samples.median(List.of()));
    }
}
