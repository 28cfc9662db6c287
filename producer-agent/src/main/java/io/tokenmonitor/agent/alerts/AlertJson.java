package io.tokenmonitor.agent.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.schema.UsageAlert;
import java.time.Instant;
import org.apache.avro.Schema;

/**
 * Formats a UsageAlert as one line of JSON: every field of the Avro record, in schema order, with
 * timestamps (periodStart, periodEnd, timestamp) as ISO-8601 UTC strings such as
 * {@code 2025-09-01T00:00:00Z}.
 */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    /** Returns the alert as a single-line JSON object without a line terminator. */
    public static String toLine(UsageAlert alert) {
        ObjectNode json = MAPPER.createObjectNode();
        for (Schema.Field field : alert.getSchema().getFields()) {
            Object value = alert.get(field.pos());
            if (value instanceof Instant instant) {
                json.put(field.name(), instant.toString());
            } else {
                json.set(field.name(), MAPPER.valueToTree(value));
            }
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write alert " + alert.getAlertId() + " as JSON", e);
        }
    }
}
