package io.tokenmonitor.processor.validation;

/**
 * Names of the headers a dead-lettered record carries. The record keeps its original key and value bytes.
 */
public final class DeadLetterHeaders {

    /** Stable reason code, see {@link RejectionReason#code()}. */
    public static final String REASON = "dlq.reason";

    /** Human-readable description of what was wrong. */
    public static final String ERROR = "dlq.error";

    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    /** Wall-clock time of the rejection, ISO-8601 in UTC. */
    public static final String REJECTED_AT = "dlq.rejected.at";

    private DeadLetterHeaders() {
    }
}
