package io.tokenmonitor.processor.validation;

/**
 * Reason an input record was dead-lettered. The {@link #code()} is written to the {@code dlq.reason} header
 * and is stable across releases, so consumers may match on it.
 */
public enum RejectionReason {

    /** The value is null, not in the Confluent wire format, or its Avro body does not decode. */
    UNDECODABLE("undecodable"),

    /** The value names a schema id the registry does not have. */
    UNKNOWN_SCHEMA("unknown-schema"),

    /** A required field (requestId, userId, model) is blank. */
    MISSING_FIELD("missing-field"),

    /** userId or requestId contains control characters or invalid UTF-8 (decoded as U+FFFD), or the timestamp
     * is before 1970. */
    INVALID_FIELD("invalid-field"),

    /** The value is larger than any valid request, the prompt or completion text is over the configured maximum
     * size, or requestId, userId, model, provider or app is longer than 256 characters. */
    OVERSIZED("oversized"),

    /** The record key is missing or differs from the value's userId, so the record would be counted on the
     * wrong partition. */
    KEY_MISMATCH("key-mismatch"),

    /** A reported token count is negative. */
    NEGATIVE_COUNT("negative-count"),

    /** A reported token count is larger than any single request can use, or the reported total contradicts the
     * reported parts. */
    COUNT_OUT_OF_RANGE("count-out-of-range"),

    /** A prompt or completion profile has a negative count, more than 100 million code points, a code point
     * count that differs from the sum of its classes, or a run or subset count larger than its class. */
    INVALID_PROFILE("invalid-profile"),

    /** The event's period ended more than the grace period before the latest accepted event time (imported events
     * are exempt from this rule), or the event time is more than the deduplication horizon before it. */
    LATE("late"),

    /** The event time is more than the maximum clock skew ahead of the processor's wall clock. */
    FUTURE("future"),

    /** A plan on the user-plans topic has an invalid limit, threshold, time zone or anchor day. */
    INVALID_PLAN("invalid-plan");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
