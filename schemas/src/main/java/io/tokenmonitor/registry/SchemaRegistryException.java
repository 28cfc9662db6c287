package io.tokenmonitor.registry;

/**
 * A registry call failed: the registry rejected the request or could not be reached.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent error code of the failure, for example 40401, or 0 when the registry sent none. */
    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = 0;
    }

    public int errorCode() {
        return errorCode;
    }
}
