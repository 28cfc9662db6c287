package io.tokenmonitor.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.schema.UsageAlert;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    @Test
    void shouldWriteAllFieldsWithIsoTimestamps() {
        String line = AlertJson.toLine(TestAlerts.alert("a-1", 80));

        assertEquals("{\"alertId\":\"a-1\",\"userId\":\"alice\",\"period\":\"2025-09\","
            + "\"periodStart\":\"2025-09-01T00:00:00Z\",\"periodEnd\":\"2025-10-01T00:00:00Z\","
            + "\"thresholdPercent\":80,\"limit\":1000000,\"totalTokens\":800123,"
            + "\"timestamp\":\"2025-09-15T10:00:00.250Z\",\"requestId\":\"r-9\",\"cause\":\"request\"}", line);
    }

    @Test
    void shouldCoverEverySchemaField() throws Exception {
        JsonNode json = new ObjectMapper().readTree(AlertJson.toLine(TestAlerts.alert("a-1", 100)));

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        List<String> schemaNames = UsageAlert.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        assertEquals(schemaNames, names);
    }

    @Test
    void shouldStayOnOneLine() {
        UsageAlert alert = TestAlerts.alert("a-1", 80);
        alert.setUserId("line\nbreak");

        String line = AlertJson.toLine(alert);

        assertFalse(line.contains("\n"), line);
    }
}
