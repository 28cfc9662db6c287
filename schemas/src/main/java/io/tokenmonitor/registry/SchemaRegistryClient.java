package io.tokenmonitor.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that the serdes need. Implementations are thread-safe.
 */
public interface SchemaRegistryClient {

    /**
     * Registers a schema under a subject, or finds it if it is registered already.
     *
     * @return the registry-wide id of the schema
     * @throws SchemaRegistryException if the registry rejects the schema or cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * Fetches the schema with a registry-wide id.
     *
     * @throws SchemaNotFoundException if no schema has that id
     * @throws SchemaRegistryException if the registry cannot be reached
     */
    Schema schemaById(int id);
}
