package io.tokenmonitor.processor.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the state stores. A period key puts the period name first, so one period's users are adjacent,
 * and the separator is a control character, which validated user and request ids never contain.
 */
public final class StoreKeys {

    public static final char SEPARATOR = '\u0000';

    /**
     * The key of the marker that every user of a recent-requests store has a count entry. It starts with a
     * control character, so it is no user's key and outside every user's prefix scan.
     */
    public static final String RECENT_REQUEST_COUNTS_MARKER = "\u0001recent-request-counts";

    /** The character after a user id in the key of the user's recent-request count. */
    private static final char COUNT_MARK = '\u0001';

    /** Digits of a zero-padded time in a key: every non-negative long fits. */
    private static final int TIME_DIGITS = 19;

    /** Digits of a zero-padded threshold percent in a key. */
    private static final int THRESHOLD_DIGITS = 4;

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
     * Returns the key of a user's count of recent requests. It ends with {@code \u0001} where request keys have
     * the separator, so no prefix scan of the user's requests returns it.
     */
    public static String recentRequestCountKey(String userId) {
        return userId + COUNT_MARK;
    }

    /**
     * Compares two keys in the order of the stores: by their UTF-8 bytes, unsigned, as the string serializer writes
     * them. {@link String#compareTo} compares UTF-16 chars instead, which puts a character above U+FFFF before one
     * from U+E000 to U+FFFF.
     */
    public static int compareAsStored(String left, String right) {
        return Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the key of one recent request. The timestamp is inverted and zero-padded so a prefix scan
     * returns a user's requests newest first.
     */
    public static String recentRequestKey(String userId, long timestampMs, String requestId) {
        return recentRequestPrefix(userId) + zeroPadded(Long.MAX_VALUE - timestampMs, TIME_DIGITS)
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
        return alertPrefix(userId, periodName) + zeroPadded(timestampMs, TIME_DIGITS) + SEPARATOR
            + zeroPadded(thresholdPercent, THRESHOLD_DIGITS) + SEPARATOR + alertId;
    }

    /**
     * Returns {@code value} in decimal, padded to {@code width} characters with zeros after any minus sign, as
     * {@code String.format("%0<width>d", value)} does. Keys are built per record, and JDK 17's formatter matches
     * its format string with a regex on every call, which showed in thread dumps of the stream thread.
     */
    static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        if (digits.length() >= width) {
            return digits;
        }

        StringBuilder padded = new StringBuilder(width);
        int firstDigit = 0;
        if (value < 0) {
            padded.append('-');
            firstDigit = 1;
        }
        for (int length = digits.length(); length < width; length++) {
            padded.append('0');
        }
        return padded.append(digits, firstDigit, digits.length()).toString();
    }
}
