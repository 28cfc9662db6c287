package io.tokenmonitor.processor.aggregation;

/**
 * Keys of the state stores. A period key puts the period name first, so one period's users are adjacent,
 * and the separator is a control character, which validated user and request ids never contain.
 */
public final class StoreKeys {

    public static final char SEPARATOR = '\u0000';

    private StoreKeys() {
    }

    /** Returns the key of a user's totals in a period. */
    public static String periodKey(String periodName, String userId) {
        return periodName + SEPARATOR + userId;
    }

    /** Returns the prefix shared by every recent-request key of a user. */
    public static String recentRequestPrefix(String userId) {
        return userId + SEPARATOR;
    }

    /**
     * Returns the key of one recent request. The timestamp is inverted and zero-padded so a prefix scan
     * returns a user's requests newest first.
     */
    public static String recentRequestKey(String userId, long timestampMs, String requestId) {
        return recentRequestPrefix(userId) + String.format("%019d", Long.MAX_VALUE - timestampMs)
            + SEPARATOR + requestId;
    }

    /** Returns the prefix shared by every alert key of a user in a period. */
    public static String alertPrefix(String userId, String periodName) {
        return userId + SEPARATOR + periodName + SEPARATOR;
    }

    /**
     * Returns the key of one alert. The event time and the threshold are zero-padded so a prefix scan returns
     * a user's alerts of a period oldest first, and in ascending threshold order within one event.
     */
    public static String alertKey(String userId, String periodName, long timestampMs, int thresholdPercent,
                                  String alertId) {
        return alertPrefix(userId, periodName) + String.format("%019d", timestampMs) + SEPARATOR
            + String.format("%04d", thresholdPercent) + SEPARATOR + alertId;
    }
}
