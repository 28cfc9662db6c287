package io.tokenmonitor.agent.alerts.webhook;

import java.time.Duration;

/**
 * The outcome of one POST of an alert to the webhook.
 *
 * @param outcome whether the alert was delivered, may be retried, or was rejected for good
 * @param status the HTTP status of the response, or {@link #NO_STATUS} when no response arrived
 * @param error what went wrong, for logs and the undeliverable headers; null when delivered
 * @param retryAfter the delay the server asked for in a {@code Retry-After} header of seconds, or null
 */
public record AttemptResult(Outcome outcome, int status, String error, Duration retryAfter) {

    /** The status of an attempt that got no HTTP response, such as a refused connection or a timeout. */
    public static final int NO_STATUS = -1;

    /** Outcome class of an attempt. */
    public enum Outcome {
        /** The server responded with a 2xx status. */
        DELIVERED,
        /** A connection failure, a timeout, a 5xx, 408 or 429: another attempt may succeed. */
        RETRYABLE,
        /** Another 4xx, a redirect or an unusable response: repeating the same request would fail again. */
        REJECTED
    }

    static AttemptResult delivered(int status) {
        return new AttemptResult(Outcome.DELIVERED, status, null, null);
    }

    static AttemptResult retryable(int status, String error, Duration retryAfter) {
        return new AttemptResult(Outcome.RETRYABLE, status, error, retryAfter);
    }

    static AttemptResult rejected(int status, String error) {
        return new AttemptResult(Outcome.REJECTED, status, error, null);
    }

    /** Returns the status as text, or "none" when no response arrived. */
    public String statusText() {
        return status == NO_STATUS ? "none" : Integer.toString(status);
    }
}
