package io.tokenmonitor.agent.alerts.webhook;

/**
 * Names of the headers of a record on the usage-alerts-undeliverable topic. Values are UTF-8 text.
 */
public final class UndeliverableHeaders {

    /** Why delivery ended: {@link #REASON_RETRIES_EXHAUSTED} or {@link #REASON_REJECTED}. */
    public static final String REASON = "undeliverable.reason";

    /** Every attempt failed with a retryable error until the give-up time passed. */
    public static final String REASON_RETRIES_EXHAUSTED = "retries-exhausted";

    /** The receiver responded with a status that is not retried: a 4xx other than 408 and 429, or a redirect. */
    public static final String REASON_REJECTED = "rejected";

    /** The HTTP status of the last attempt, or {@code none} when it got no response. */
    public static final String LAST_STATUS = "undeliverable.last.status";

    /** Description of the last attempt's failure, such as {@code HTTP 503} or {@code timed out after 10000 ms}. */
    public static final String LAST_ERROR = "undeliverable.last.error";

    /** The number of attempts made, as a decimal number. */
    public static final String ATTEMPTS = "undeliverable.attempts";

    /** Wall-clock time of the first attempt, ISO-8601 in UTC. */
    public static final String FIRST_ATTEMPT_AT = "undeliverable.first.attempt.at";

    /** Wall-clock time delivery was given up, ISO-8601 in UTC. */
    public static final String GAVE_UP_AT = "undeliverable.gave.up.at";

    public static final String SOURCE_TOPIC = "undeliverable.source.topic";
    public static final String SOURCE_PARTITION = "undeliverable.source.partition";
    public static final String SOURCE_OFFSET = "undeliverable.source.offset";

    private UndeliverableHeaders() {
    }
}
