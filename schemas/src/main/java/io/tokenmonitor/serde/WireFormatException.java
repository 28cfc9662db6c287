package io.tokenmonitor.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes are not a Confluent wire-format Avro value: the magic byte is wrong, the value is truncated,
 * or the Avro body does not decode with the writer schema.
 */
public class WireFormatException extends SerializationException {

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
