package io.tokenmonitor.registry;

/**
 * No schema is registered with the requested id (Confluent error code 40403).
 */
public class SchemaNotFoundException extends SchemaRegistryException {

    public static final int ERROR_CODE = 40403;

    public SchemaNotFoundException(int schemaId) {
        super("Schema " + schemaId + " not found", ERROR_CODE);
    }
}
