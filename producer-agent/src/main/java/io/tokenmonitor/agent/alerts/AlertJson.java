package io.tokenmonitor.agent.alerts;

import io.tokenmonitor.agent.RecordJson;
import io.tokenmonitor.schema.UsageAlert;

/**
 * Formats a UsageAlert as one line of JSON: every field of the Avro record, in schema order, with
 * timestamps (periodStart, periodEnd, timestamp) as ISO-8601 UTC strings such as
 * {@code 2025-09-01T00:00:00Z}.
 */
public final class AlertJson {

    private AlertJson() {
    }

    /** Returns the alert as a single-line JSON object without a line terminator. */
    public static String toLine(UsageAlert alert) {
        return RecordJson.toLine(alert);
    }
}
