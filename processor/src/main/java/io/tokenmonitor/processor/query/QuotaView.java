package io.tokenmonitor.processor.query;

/**
 * Whether a user may spend more tokens in the period in progress, as the HTTP API returns it.
 *
 * @param requestedTokens the tokens the caller intends to spend
 * @param usedTokens tokens already counted in the period
 * @param remainingTokens tokens left before the limit, never negative
 * @param hardStopPercent the plan's hard stop in percent of the limit, or null for none
 * @param hardStopTokens {@code limit * hardStopPercent / 100} rounded down, or null without a hard stop
 * @param withinLimit whether {@code usedTokens + requestedTokens <= limit}
 * @param withinHardStop whether {@code usedTokens + requestedTokens <= hardStopTokens}, or null without a hard stop
 * @param allowed withinHardStop when the plan has a hard stop, withinLimit otherwise
 */
public record QuotaView(
    String userId,
    String period,
    long requestedTokens,
    long usedTokens,
    long limit,
    long remainingTokens,
    Integer hardStopPercent,
    Long hardStopTokens,
    boolean withinLimit,
    Boolean withinHardStop,
    boolean allowed) {
}
