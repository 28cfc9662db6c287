package io.tokenmonitor.topics;

/**
 * Names of the headers a record on {@link Topics#TOKEN_REQUESTS_DLQ} carries. Every value is UTF-8 text. The
 * record keeps its original key and value bytes and headers, unless a truncation header is present.
 */
public final class DeadLetterHeaders {

    /** Stable reason code, such as {@code undecodable} or {@code oversized}. */
    public static final String REASON = "dlq.reason";

    /** Human-readable description of what was wrong. */
    public static final String ERROR = "dlq.error";

    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    /** Wall-clock time of the rejection, ISO-8601 in UTC. */
    public static final String REJECTED_AT = "dlq.rejected.at";

    /** Present when the value was cut to fit the topic: the original value's size in bytes. */
    public static final String VALUE_TRUNCATED = "dlq.value.truncated";

    /**
     * Present when the key was cut to fit the topic: the original key's length, in UTF-16 code units, or in bytes
     * for a record whose key or value could not be deserialized.
     */
    public static final String KEY_TRUNCATED = "dlq.key.truncated";

    /** Present when the original headers were dropped to fit the topic: how many there were. */
    public static final String HEADERS_DROPPED = "dlq.headers.dropped";

    private DeadLetterHeaders() {
    }
}
