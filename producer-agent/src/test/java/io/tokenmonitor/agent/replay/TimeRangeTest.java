package io.tokenmonitor.agent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant FROM = Instant.parse("2025-09-01T00:00:00Z");

    @Test
    void shouldSpaceRecordsEvenly() {
        TimeRange range = new TimeRange(FROM, FROM.plusSeconds(10));

        assertEquals(FROM, range.instantAt(0, 4));
        assertEquals(FROM.plusMillis(2500), range.instantAt(1, 4));
        assertEquals(FROM.plusSeconds(5), range.instantAt(2, 4));
        assertEquals(FROM.plusMillis(7500), range.instantAt(3, 4));
    }

    @Test
    void shouldRoundDownToMillisecond() {
        TimeRange range = new TimeRange(FROM, FROM.plusMillis(10));

        assertEquals(FROM.plusMillis(3), range.instantAt(1, 3));
        assertEquals(FROM.plusMillis(6), range.instantAt(2, 3));
    }

    @Test
    void shouldKeepLastRecordBeforeEnd() {
        Instant to = FROM.plusSeconds(1);
        TimeRange range = new TimeRange(FROM, to);

        assertTrue(range.instantAt(999_999, 1_000_000).isBefore(to));
    }

    @Test
    void shouldNotOverflowOnLongRangesAndCounts() {
        Instant from = Instant.parse("1970-01-01T00:00:00Z");
        Instant to = Instant.parse("2200-01-01T00:00:00Z");
        TimeRange range = new TimeRange(from, to);

        Instant middle = range.instantAt(500_000_000_000L, 1_000_000_000_000L);

        assertEquals((to.toEpochMilli() - from.toEpochMilli()) / 2, middle.toEpochMilli());
    }

    @Test
    void shouldRejectEmptyRange() {
        assertThrows(IllegalArgumentException.class, () -> new TimeRange(FROM, FROM));
        assertThrows(IllegalArgumentException.class, () -> new TimeRange(FROM.plusSeconds(1), FROM));
    }

    @Test
    void shouldRejectIndexOutsideCount() {
        TimeRange range = new TimeRange(FROM, FROM.plusSeconds(1));

        assertThrows(IllegalArgumentException.class, () -> range.instantAt(3, 3));
        assertThrows(IllegalArgumentException.class, () -> range.instantAt(-1, 3));
    }
}
