package io.tokenmonitor.processor.alert;

import io.tokenmonitor.processor.aggregation.PeriodUpdate;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds one {@link UsageAlert} per threshold that a request crossed.
 */
public final class AlertRaiser {

    private AlertRaiser() {
    }

    /** Returns the alerts of an update, in ascending threshold order; empty when it crossed none. */
    public static List<UsageAlert> alertsFor(PeriodUpdate update) {
        UsagePeriod period = update.period();
        List<UsageAlert> alerts = new ArrayList<>(update.crossedThresholds().size());
        for (int threshold : update.crossedThresholds()) {
            alerts.add(UsageAlert.newBuilder()
                .setAlertId(alertId(period.getUserId(), period.getPeriod(), threshold, period.getResets()))
                .setUserId(period.getUserId())
                .setPeriod(period.getPeriod())
                .setPeriodStart(period.getPeriodStart())
                .setPeriodEnd(period.getPeriodEnd())
                .setThresholdPercent(threshold)
                .setLimit(period.getLimit())
                .setTotalTokens(period.getTotalTokens())
                .setTimestamp(update.eventTime())
                .setRequestId(update.requestId())
                .setCause(update.cause())
                .build());
        }
        return alerts;
    }

    /**
     * Returns the alert id of a user, period and threshold: a name-based (version 3) UUID, so the same
     * crossing always gets the same id and subscribers can use it as an idempotency key. After a reset the
     * thresholds fire again as new alerts, so the number of resets of the period is part of the name.
     */
    public static String alertId(String userId, String periodName, int thresholdPercent, int resets) {
        String name = userId + '\u0000' + periodName + '\u0000' + thresholdPercent;
        if (resets > 0) {
            name = name + '\u0000' + resets;
        }
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
