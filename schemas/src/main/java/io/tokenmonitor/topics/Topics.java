package io.tokenmonitor.topics;

import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.schema.UserPlan;
import java.util.List;

/**
 * The catalogue of topics the product reads and writes. Every module takes topic names from here.
 */
public final class Topics {

    /** Input: one {@link TokenRequest} per model call, keyed by user id. */
    public static final Topic<TokenRequest> TOKEN_REQUESTS =
        new Topic<>("token-requests", TokenRequest.class, false);

    /** One {@link TokenUsage} per accepted request, keyed by user id. */
    public static final Topic<TokenUsage> TOKEN_USAGE =
        new Topic<>("token-usage", TokenUsage.class, false);

    /** The running {@link UsagePeriod} totals after each accepted request, keyed by user id. */
    public static final Topic<UsagePeriod> USAGE_PERIODS =
        new Topic<>("usage-periods", UsagePeriod.class, true);

    /** One {@link UsageAlert} per user, period and crossed threshold, keyed by user id. */
    public static final Topic<UsageAlert> USAGE_ALERTS =
        new Topic<>("usage-alerts", UsageAlert.class, false);

    /** The latest {@link UserPlan} of each user, keyed by user id; users without one get the default plan. */
    public static final Topic<UserPlan> USER_PLANS =
        new Topic<>("user-plans", UserPlan.class, true);

    /** Operators' {@link UsageReset} requests, keyed by user id. */
    public static final Topic<UsageReset> USAGE_RESETS =
        new Topic<>("usage-resets", UsageReset.class, false);

    /**
     * Rejected input: the original key and value bytes of each record that failed validation, with the
     * reason in the {@code dlq.reason} header.
     */
    public static final Topic<byte[]> TOKEN_REQUESTS_DLQ =
        new Topic<>("token-requests-dlq", byte[].class, false);

    /**
     * Alerts that the webhook subscriber ({@code agent alerts --webhook}) could not deliver: the
     * {@link UsageAlert} unchanged, keyed by user id, with the reason, the last HTTP status and the number
     * of attempts in {@code undeliverable.*} headers.
     */
    public static final Topic<UsageAlert> USAGE_ALERTS_UNDELIVERABLE =
        new Topic<>("usage-alerts-undeliverable", UsageAlert.class, false);

    private Topics() {
    }

    /** Returns every topic, for creating them. */
    public static List<Topic<?>> all() {
        return List.of(TOKEN_REQUESTS, USER_PLANS, USAGE_RESETS, TOKEN_USAGE, USAGE_PERIODS, USAGE_ALERTS,
            TOKEN_REQUESTS_DLQ, USAGE_ALERTS_UNDELIVERABLE);
    }
}
