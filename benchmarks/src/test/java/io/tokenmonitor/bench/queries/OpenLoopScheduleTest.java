package io.tokenmonitor.bench.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void sendTimesFollowRateFromStart() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1_000L, 2000);

        assertEquals(1_000L, schedule.sendTimeNanos(0));
        assertEquals(1_000L + 500_000L, schedule.sendTimeNanos(1));
        assertEquals(1_000L + 1_000_000_000L, schedule.sendTimeNanos(2000));
    }

    @Test
    void sendTimesStayExactOverLongRuns() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(0L, 3);

        // 1/3 s is not a whole number of nanoseconds, but every third request falls exactly on a second.
        assertEquals(333_333_333L, schedule.sendTimeNanos(1));
        assertEquals(3_600_000_000_000L, schedule.sendTimeNanos(3 * 3600));
    }

    @Test
    void requestsWithinCountsDueRequests() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(0L, 2000);

        assertEquals(10_000L, schedule.requestsWithin(5_000_000_000L));
        assertEquals(0L, schedule.requestsWithin(0L));
    }

    @Test
    void scheduleRejectsNonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0L, 0));
    }
}
