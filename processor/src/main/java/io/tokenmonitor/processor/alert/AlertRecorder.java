package io.tokenmonitor.processor.alert;

import io.tokenmonitor.processor.aggregation.PeriodUpdate;
import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.schema.UsageAlert;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Raises the alerts of each period update, keeps every one in the store named {@code storeName} under
 * {@link StoreKeys#alertKey}, and forwards each alert as its own record.
 *
 * <p>An alert raised again after a restart from the last commit has the same key, so it overwrites
 * itself in the store instead of being listed twice.
 */
public final class AlertRecorder implements FixedKeyProcessor<String, PeriodUpdate, UsageAlert> {

    private final String storeName;
    private FixedKeyProcessorContext<String, UsageAlert> context;
    private KeyValueStore<String, UsageAlert> alerts;

    public AlertRecorder(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageAlert> context) {
        this.context = context;
        this.alerts = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, PeriodUpdate> record) {
        for (UsageAlert alert : AlertRaiser.alertsFor(record.value())) {
            String key = StoreKeys.alertKey(alert.getUserId(), alert.getPeriod(), alert.getTimestamp().toEpochMilli(),
                alert.getThresholdPercent(), alert.getAlertId());
            alerts.put(key, alert);
            context.forward(record.withValue(alert));
        }
    }
}
