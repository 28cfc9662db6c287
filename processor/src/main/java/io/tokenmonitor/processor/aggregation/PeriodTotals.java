package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to a user's {@link UsagePeriod} totals, shared by the processors that count requests, apply
 * plans and apply resets.
 */
public final class PeriodTotals {

    private PeriodTotals() {
    }

    /** Returns zero totals of a period. */
    public static UsagePeriod empty(String userId, BillingPeriod period, long limit) {
        return UsagePeriod.newBuilder()
            .setUserId(userId)
            .setPeriod(period.name())
            .setPeriodStart(period.start())
            .setPeriodEnd(period.end())
            .setRequests(0)
            .setPromptTokens(0)
            .setCompletionTokens(0)
            .setTotalTokens(0)
            .setLimit(limit)
            .setByModel(new HashMap<>())
            .setAlertedThresholds(new ArrayList<>())
            .setLastEventTime(period.start())
            .setLastRequestId("")
            .setResets(0)
            .setCostMicros(0)
            .setUnpricedRequests(0)
            .build();
    }

    /** Adds one request's tokens to the totals and to its model's share. */
    public static void add(UsagePeriod totals, TokenUsage usage) {
        totals.setRequests(totals.getRequests() + 1);
        totals.setPromptTokens(totals.getPromptTokens() + usage.getPromptTokens());
        totals.setCompletionTokens(totals.getCompletionTokens() + usage.getCompletionTokens());
        totals.setTotalTokens(totals.getTotalTokens() + usage.getTotalTokens());
        totals.setLastRequestId(usage.getRequestId());
        if (usage.getTimestamp().isAfter(totals.getLastEventTime())) {
            totals.setLastEventTime(usage.getTimestamp());
        }

        Map<String, ModelUsage> byModel = totals.getByModel();
        ModelUsage model = byModel.get(usage.getModel());
        if (model == null) {
            model = new ModelUsage(0L, 0L, 0L, 0L, 0L, 0L);
            byModel.put(usage.getModel(), model);
        }
        model.setRequests(model.getRequests() + 1);
        model.setPromptTokens(model.getPromptTokens() + usage.getPromptTokens());
        model.setCompletionTokens(model.getCompletionTokens() + usage.getCompletionTokens());
        model.setTotalTokens(model.getTotalTokens() + usage.getTotalTokens());

        Long cost = usage.getCostMicros();
        if (cost == null) {
            totals.setUnpricedRequests(totals.getUnpricedRequests() + 1);
            model.setUnpricedRequests(model.getUnpricedRequests() + 1);
        } else {
            totals.setCostMicros(Math.addExact(totals.getCostMicros(), cost));
            model.setCostMicros(Math.addExact(model.getCostMicros(), cost));
        }
    }

    /** Zeroes the totals and clears the thresholds that have alerted, keeping the period and its limit. */
    public static void reset(UsagePeriod totals) {
        totals.setRequests(0);
        totals.setPromptTokens(0);
        totals.setCompletionTokens(0);
        totals.setTotalTokens(0);
        totals.setByModel(new HashMap<>());
        totals.setAlertedThresholds(new ArrayList<>());
        totals.setLastRequestId("");
        totals.setResets(totals.getResets() + 1);
        totals.setCostMicros(0);
        totals.setUnpricedRequests(0);
    }

    /**
     * Finds the thresholds the totals have reached that have not alerted in this period, and marks them
     * as alerted. A threshold is reached when {@code totalTokens * 100 >= thresholdPercent * limit}.
     *
     * @param thresholdsPercent the plan's thresholds, ascending
     * @return the newly reached thresholds, ascending; often empty
     */
    public static List<Integer> markReachedThresholds(UsagePeriod totals, List<Integer> thresholdsPercent) {
        List<Integer> alerted = totals.getAlertedThresholds();
        List<Integer> reached = new ArrayList<>();
        for (int threshold : thresholdsPercent) {
            boolean isReached = totals.getTotalTokens() * 100 >= (long) threshold * totals.getLimit();
            if (isReached && !alerted.contains(threshold)) {
                reached.add(threshold);
            }
        }
        if (!reached.isEmpty()) {
            List<Integer> updated = new ArrayList<>(alerted);
            updated.addAll(reached);
            updated.sort(null);
            totals.setAlertedThresholds(updated);
        }
        return reached;
    }
}
