package io.tokenmonitor.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The value names a schema id that the registry does not have.
 */
public class UnknownSchemaException extends SerializationException {

    private final int schemaId;

    public UnknownSchemaException(int schemaId, Throwable cause) {
        super("Schema id " + schemaId + " is not registered", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
