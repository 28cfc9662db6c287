package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.DayUsage;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import java.time.LocalDate;
import java.time.ZoneId;
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

    /**
     * Returns zero totals of a period.
     *
     * @param zone the time zone of the calendar that laid out the period, which dates the per-day totals
     */
    public static UsagePeriod empty(String userId, BillingPeriod period, long limit, ZoneId zone) {
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
            .setByProvider(new HashMap<>())
            .setByDay(new HashMap<>())
            .setTimeZone(zone.getId())
            .build();
    }

    /**
     * Adds one request's tokens to the totals, to its model's and its provider's share, and to the local
     * day of its event time.
     *
     * @param zone the time zone that dates the request; the totals' own {@code timeZone} when they have one
     */
    public static void add(UsagePeriod totals, TokenUsage usage, ZoneId zone) {
        totals.setRequests(totals.getRequests() + 1);
        totals.setPromptTokens(totals.getPromptTokens() + usage.getPromptTokens());
        totals.setCompletionTokens(totals.getCompletionTokens() + usage.getCompletionTokens());
        totals.setTotalTokens(totals.getTotalTokens() + usage.getTotalTokens());
        totals.setLastRequestId(usage.getRequestId());
        if (usage.getTimestamp().isAfter(totals.getLastEventTime())) {
            totals.setLastEventTime(usage.getTimestamp());
        }
        Long cost = usage.getCostMicros();
        if (cost == null) {
            totals.setUnpricedRequests(totals.getUnpricedRequests() + 1);
        } else {
            totals.setCostMicros(Math.addExact(totals.getCostMicros(), cost));
        }

        addToShare(totals.getByModel(), usage.getModel(), usage);
        addToShare(totals.getByProvider(), usage.getProvider(), usage);

        String day = LocalDate.ofInstant(usage.getTimestamp(), zone).toString();
        Map<String, DayUsage> byDay = totals.getByDay();
        DayUsage dayUsage = byDay.computeIfAbsent(day, ignored -> new DayUsage(0L, 0L));
        dayUsage.setRequests(dayUsage.getRequests() + 1);
        dayUsage.setTotalTokens(dayUsage.getTotalTokens() + usage.getTotalTokens());
    }

    private static void addToShare(Map<String, ModelUsage> shares, String name, TokenUsage usage) {
        ModelUsage share = shares.computeIfAbsent(name, ignored -> new ModelUsage(0L, 0L, 0L, 0L, 0L, 0L));
        share.setRequests(share.getRequests() + 1);
        share.setPromptTokens(share.getPromptTokens() + usage.getPromptTokens());
        share.setCompletionTokens(share.getCompletionTokens() + usage.getCompletionTokens());
        share.setTotalTokens(share.getTotalTokens() + usage.getTotalTokens());
        Long cost = usage.getCostMicros();
        if (cost == null) {
            share.setUnpricedRequests(share.getUnpricedRequests() + 1);
        } else {
            share.setCostMicros(Math.addExact(share.getCostMicros(), cost));
        }
    }

    /**
     * Zeroes the totals, their per-model, per-provider and per-day shares, and clears the thresholds that
     * have alerted, keeping the period, its limit and its time zone.
     */
    public static void reset(UsagePeriod totals) {
        totals.setRequests(0);
        totals.setPromptTokens(0);
        totals.setCompletionTokens(0);
        totals.setTotalTokens(0);
        totals.setByModel(new HashMap<>());
        totals.setByProvider(new HashMap<>());
        totals.setByDay(new HashMap<>());
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
