package io.tokenmonitor.agent;

import io.tokenmonitor.registry.SchemaNotFoundException;
import io.tokenmonitor.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** An in-memory schema registry for unit tests: one id per distinct schema, across all subjects. */
public final class TestSchemaRegistry implements SchemaRegistryClient {

    private final List<Schema> schemas = new ArrayList<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int index = schemas.indexOf(schema);
        if (index < 0) {
            schemas.add(schema);
            index = schemas.size() - 1;
        }
        return index + 1;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemas.size()) {
            throw new SchemaNotFoundException(id);
        }
        return schemas.get(id - 1);
    }
}
