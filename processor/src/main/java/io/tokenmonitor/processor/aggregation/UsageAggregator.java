package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.period.BillingCalendar;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each request to its user's totals for the calendar month of its event time, in the store named
 * {@code storeName}, and finds the alert thresholds the new total reaches for the first time in that
 * period. A threshold is reached when {@code totalTokens * 100 >= thresholdPercent * limit}.
 *
 * <p>Which thresholds have alerted is kept in the totals themselves, so each fires once per user and
 * period even if the limit changes, and one request that jumps past several fires each of them.
 */
public final class UsageAggregator implements FixedKeyProcessor<String, TokenUsage, PeriodUpdate> {

    private final String storeName;
    private final long monthlyLimit;
    private final List<Integer> thresholdsPercent;
    private FixedKeyProcessorContext<String, PeriodUpdate> context;
    private KeyValueStore<String, UsagePeriod> periods;

    /**
     * @param thresholdsPercent alert thresholds in percent of the limit, in ascending order
     */
    public UsageAggregator(String storeName, long monthlyLimit, List<Integer> thresholdsPercent) {
        this.storeName = storeName;
        this.monthlyLimit = monthlyLimit;
        this.thresholdsPercent = List.copyOf(thresholdsPercent);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PeriodUpdate> context) {
        this.context = context;
        this.periods = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, TokenUsage> record) {
        TokenUsage usage = record.value();
        BillingPeriod period = BillingCalendar.UTC_MONTHS.periodContaining(usage.getTimestamp());
        String key = StoreKeys.periodKey(period.name(), usage.getUserId());

        UsagePeriod totals = periods.get(key);
        if (totals == null) {
            totals = emptyPeriod(usage.getUserId(), period);
        }
        addUsage(totals, usage);
        totals.setLimit(monthlyLimit);
        List<Integer> crossed = findNewlyReachedThresholds(totals);
        periods.put(key, totals);

        context.forward(record.withValue(new PeriodUpdate(usage, totals, crossed)));
    }

    private UsagePeriod emptyPeriod(String userId, BillingPeriod period) {
        return UsagePeriod.newBuilder()
            .setUserId(userId)
            .setPeriod(period.name())
            .setPeriodStart(period.start())
            .setPeriodEnd(period.end())
            .setRequests(0)
            .setPromptTokens(0)
            .setCompletionTokens(0)
            .setTotalTokens(0)
            .setLimit(monthlyLimit)
            .setByModel(new HashMap<>())
            .setAlertedThresholds(new ArrayList<>())
            .setLastEventTime(period.start())
            .build();
    }

    private static void addUsage(UsagePeriod totals, TokenUsage usage) {
        totals.setRequests(totals.getRequests() + 1);
        totals.setPromptTokens(totals.getPromptTokens() + usage.getPromptTokens());
        totals.setCompletionTokens(totals.getCompletionTokens() + usage.getCompletionTokens());
        totals.setTotalTokens(totals.getTotalTokens() + usage.getTotalTokens());
        if (usage.getTimestamp().isAfter(totals.getLastEventTime())) {
            totals.setLastEventTime(usage.getTimestamp());
        }

        Map<String, ModelUsage> byModel = totals.getByModel();
        ModelUsage model = byModel.get(usage.getModel());
        if (model == null) {
            model = new ModelUsage(0L, 0L, 0L, 0L);
            byModel.put(usage.getModel(), model);
        }
        model.setRequests(model.getRequests() + 1);
        model.setPromptTokens(model.getPromptTokens() + usage.getPromptTokens());
        model.setCompletionTokens(model.getCompletionTokens() + usage.getCompletionTokens());
        model.setTotalTokens(model.getTotalTokens() + usage.getTotalTokens());
    }

    private List<Integer> findNewlyReachedThresholds(UsagePeriod totals) {
        List<Integer> alerted = totals.getAlertedThresholds();
        List<Integer> crossed = new ArrayList<>();
        for (int threshold : thresholdsPercent) {
            boolean reached = totals.getTotalTokens() * 100 >= (long) threshold * totals.getLimit();
            if (reached && !alerted.contains(threshold)) {
                crossed.add(threshold);
            }
        }
        if (!crossed.isEmpty()) {
            List<Integer> updated = new ArrayList<>(alerted);
            updated.addAll(crossed);
            updated.sort(null);
            totals.setAlertedThresholds(updated);
        }
        return crossed;
    }
}
