package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Usage queries over the local state stores.
 */
public final class UsageQueries {

    private static final StringSerializer KEY_SERIALIZER = (StringSerializer) Serdes.String().serializer();

    private final UsageStores stores;
    private final AvroSerde<TokenUsage> usageSerde;
    private final long monthlyLimit;

    /**
     * @param monthlyLimit the limit reported for a user with no usage in the period
     */
    public UsageQueries(UsageStores stores, AvroSerde<TokenUsage> usageSerde, long monthlyLimit) {
        this.stores = stores;
        this.usageSerde = usageSerde;
        this.monthlyLimit = monthlyLimit;
    }

    /** Returns a user's totals in a period; zeros when the user has none there. */
    public UsageView usage(String userId, BillingPeriod period) {
        UsagePeriod totals = stores.periods().get(StoreKeys.periodKey(period.name(), userId));

        long limit = totals != null ? totals.getLimit() : monthlyLimit;
        long total = totals != null ? totals.getTotalTokens() : 0;
        Map<String, UsageView.ModelTotals> byModel = new TreeMap<>();
        if (totals != null) {
            for (Map.Entry<String, ModelUsage> entry : totals.getByModel().entrySet()) {
                ModelUsage model = entry.getValue();
                byModel.put(entry.getKey(), new UsageView.ModelTotals(model.getRequests(), model.getPromptTokens(),
                    model.getCompletionTokens(), model.getTotalTokens()));
            }
        }

        return new UsageView(
            userId,
            period.name(),
            period.start().toString(),
            period.end().toString(),
            totals != null ? totals.getRequests() : 0,
            totals != null ? totals.getPromptTokens() : 0,
            totals != null ? totals.getCompletionTokens() : 0,
            total,
            limit,
            percentOf(total, limit),
            Math.max(0, limit - total),
            byModel);
    }

    /** Returns up to {@code limit} of a user's newest requests, newest first. */
    public RecentRequestsView recentRequests(String userId, int limit) {
        List<RecentRequestsView.RequestView> requests = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> iterator =
                 stores.recentRequests().prefixScan(StoreKeys.recentRequestPrefix(userId), KEY_SERIALIZER)) {
            while (iterator.hasNext() && requests.size() < limit) {
                KeyValue<String, byte[]> entry = iterator.next();
                TokenUsage usage = usageSerde.deserialize(Topics.TOKEN_USAGE.name(), entry.value);
                requests.add(new RecentRequestsView.RequestView(
                    usage.getRequestId(),
                    usage.getTimestamp().toString(),
                    usage.getModel(),
                    usage.getProvider(),
                    usage.getPromptTokens(),
                    usage.getCompletionTokens(),
                    usage.getTotalTokens(),
                    usage.getTokenSource().name()));
            }
        }
        return new RecentRequestsView(userId, requests);
    }

    private static double percentOf(long total, long limit) {
        return BigDecimal.valueOf(total)
            .multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(limit), 2, RoundingMode.HALF_UP)
            .doubleValue();
    }
}
