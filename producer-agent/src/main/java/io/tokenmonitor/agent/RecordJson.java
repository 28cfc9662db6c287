package io.tokenmonitor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Formats a generated Avro record as one line of JSON: every field in schema order, null for an unset
 * optional field, and timestamps as ISO-8601 UTC strings such as {@code 2025-09-01T00:00:00Z}.
 */
public final class RecordJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {
    }

    /** Returns the record as a single-line JSON object without a line terminator. */
    public static String toLine(SpecificRecord record) {
        ObjectNode json = MAPPER.createObjectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value instanceof Instant instant) {
                json.put(field.name(), instant.toString());
            } else {
                json.set(field.name(), MAPPER.valueToTree(value));
            }
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write " + record.getSchema().getName() + " as JSON", e);
        }
    }
}
