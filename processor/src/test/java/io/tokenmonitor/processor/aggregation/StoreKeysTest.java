package io.tokenmonitor.processor.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void zeroPaddedMatchesFormatter() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, 999L, 1000L, 12_345L, -12_345L,
            1_733_356_800_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1_733_356_800_000L));
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }

        for (long value : values) {
            for (int width : new int[] {1, 4, 19, 20, 25}) {
                assertEquals(String.format("%0" + width + "d", value), StoreKeys.zeroPadded(value, width),
                    "value " + value + ", width " + width);
            }
        }
    }

    @Test
    void recentRequestKeysSortNewestFirst() {
        String older = StoreKeys.recentRequestKey("user-1", 1_000L, "request-b");
        String newer = StoreKeys.recentRequestKey("user-1", 2_000L, "request-a");

        assertTrue(newer.compareTo(older) < 0, newer + " should sort before " + older);
        assertEquals(StoreKeys.recentRequestPrefix("user-1") + "9223372036854774807" + StoreKeys.SEPARATOR
            + "request-b", older);
    }

    @Test
    void alertKeysSortByTimeThenThreshold() {
        String early = StoreKeys.alertKey("user-1", "2026-12", 5_000L, 90, "alert-3");
        String lateLow = StoreKeys.alertKey("user-1", "2026-12", 60_000L, 50, "alert-1");
        String lateHigh = StoreKeys.alertKey("user-1", "2026-12", 60_000L, 100, "alert-2");

        assertTrue(early.compareTo(lateLow) < 0, early + " should sort before " + lateLow);
        assertTrue(lateLow.compareTo(lateHigh) < 0, lateLow + " should sort before " + lateHigh);
        assertEquals(StoreKeys.alertPrefix("user-1", "2026-12") + "0000000000000060000" + StoreKeys.SEPARATOR
            + "0100" + StoreKeys.SEPARATOR + "alert-2", lateHigh);
    }

    @Test
    void storeOrderFollowsUtf8Bytes() {
        String privateUse = "\ue000";
        String emoji = "\ud83d\ude00";

        assertTrue(privateUse.compareTo(emoji) > 0, "UTF-16 order puts the emoji first");
        assertTrue(StoreKeys.compareAsStored(privateUse, emoji) < 0);
        assertTrue(StoreKeys.compareAsStored("a", "b") < 0);
        assertTrue(StoreKeys.compareAsStored("ab", "a") > 0);
        assertEquals(0, StoreKeys.compareAsStored(emoji, emoji));
    }
}
