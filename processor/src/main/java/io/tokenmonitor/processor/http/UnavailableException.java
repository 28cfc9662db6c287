package io.tokenmonitor.processor.http;

/**
 * Thrown when this instance cannot serve a request now but may shortly: Kafka Streams is not running, the owner of a
 * user is not known or cannot be reached, or a partition is moving. The API responds with 503 and
 * {@code Retry-After}.
 */
public class UnavailableException extends RuntimeException {

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
