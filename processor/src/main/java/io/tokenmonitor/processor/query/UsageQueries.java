package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.estimation.Cost;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.plan.PlanBook;
import io.tokenmonitor.processor.plan.Plans;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
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
    private static final int DATE_NAME_LENGTH = "YYYY-MM-DD".length();

    private final UsageStores stores;
    private final AvroSerde<TokenUsage> usageSerde;
    private final DefaultPlan defaultPlan;

    /**
     * @param defaultPlan the plan of users without one of their own
     */
    public UsageQueries(UsageStores stores, AvroSerde<TokenUsage> usageSerde, DefaultPlan defaultPlan) {
        this.stores = stores;
        this.usageSerde = usageSerde;
        this.defaultPlan = defaultPlan;
    }

    /**
     * Returns a user's totals in a period; zeros when the user has none there.
     *
     * @param periodName the period's start date {@code YYYY-MM-DD}, a month {@code YYYY-MM} for the period
     *     starting in it, or null for the period containing {@code now}
     * @throws IllegalArgumentException if the name is malformed or no period of the user starts then
     */
    public UsageView usage(String userId, String periodName, Instant now) {
        PlanState state = new PlanBook(stores.plans(), defaultPlan).stateOf(userId);
        BillingPeriod period;
        UsagePeriod totals;
        if (periodName == null) {
            period = Plans.periodContaining(state, now);
            totals = stores.periods().get(StoreKeys.periodKey(period.name(), userId));
        } else {
            totals = periodName.length() == DATE_NAME_LENGTH
                ? stores.periods().get(StoreKeys.periodKey(periodName, userId))
                : null;
            period = totals != null
                ? new BillingPeriod(LocalDate.parse(totals.getPeriod()), totals.getPeriodStart(), totals.getPeriodEnd())
                : Plans.periodNamed(state, periodName);
            if (totals == null) {
                totals = stores.periods().get(StoreKeys.periodKey(period.name(), userId));
            }
        }
        return toView(userId, period, totals, state.getPlan().getMonthlyTokenLimit());
    }

    /** Returns a user's plan, the default one when the user has none, with the period containing {@code now}. */
    public PlanView plan(String userId, Instant now) {
        // One read, so the response cannot mix the default plan with a plan that arrives meanwhile.
        PlanState ownState = stores.plans().get(userId);
        PlanState state = ownState != null ? ownState : defaultPlan.toState(userId);
        UserPlan plan = state.getPlan();
        BillingPeriod current = Plans.periodContaining(state, now);
        return new PlanView(userId, plan.getPlanName(), plan.getMonthlyTokenLimit(), plan.getThresholdsPercent(),
            plan.getHardStopPercent(), plan.getTimeZone(), plan.getAnchorDay(), ownState == null,
            ownState != null ? plan.getUpdatedAt().toString() : null,
            new PlanView.PeriodRef(current.name(), current.start().toString(), current.end().toString()),
            state.getLayoutEffectiveFrom() != null ? state.getLayoutEffectiveFrom().toString() : null);
    }

    private static UsageView toView(String userId, BillingPeriod period, UsagePeriod totals, long planLimit) {
        long limit = totals != null ? totals.getLimit() : planLimit;
        long total = totals != null ? totals.getTotalTokens() : 0;
        Map<String, UsageView.ModelTotals> byModel = new TreeMap<>();
        if (totals != null) {
            for (Map.Entry<String, ModelUsage> entry : totals.getByModel().entrySet()) {
                ModelUsage model = entry.getValue();
                byModel.put(entry.getKey(), new UsageView.ModelTotals(model.getRequests(), model.getPromptTokens(),
                    model.getCompletionTokens(), model.getTotalTokens(),
                    costDollars(model.getCostMicros(), model.getRequests(), model.getUnpricedRequests()),
                    model.getUnpricedRequests()));
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
            totals != null
                ? costDollars(totals.getCostMicros(), totals.getRequests(), totals.getUnpricedRequests())
                : Cost.formatDollars(0),
            totals != null ? totals.getUnpricedRequests() : 0,
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
                    usage.getTokenSource().name(),
                    usage.getEstimator(),
                    usage.getCostMicros() != null ? Cost.formatDollars(usage.getCostMicros()) : null));
            }
        }
        return new RecentRequestsView(userId, requests);
    }

    /** Returns the cost in dollars, or null when there are requests and none has a known price. */
    private static String costDollars(long costMicros, long requests, long unpricedRequests) {
        if (requests > 0 && unpricedRequests >= requests) {
            return null;
        }
        return Cost.formatDollars(costMicros);
    }

    private static double percentOf(long total, long limit) {
        return BigDecimal.valueOf(total)
            .multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(limit), 2, RoundingMode.HALF_UP)
            .doubleValue();
    }
}
