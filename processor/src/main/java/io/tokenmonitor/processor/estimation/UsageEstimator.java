package io.tokenmonitor.processor.estimation;

import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;

/**
 * Turns a validated request into its token counts.
 *
 * <p>Counts the provider reported are used as they are. A part without a reported count is estimated from
 * its text at four characters (Unicode code points) per token, rounded up. A part with neither counts zero.
 * The result is {@link TokenSource#REPORTED} only when both parts were reported.
 */
public final class UsageEstimator {

    private static final int CHARACTERS_PER_TOKEN = 4;

    /** Returns the token usage of a request in a billing period, without its text. */
    public TokenUsage estimate(TokenRequest request, String periodName) {
        Long reportedPrompt = request.getReportedPromptTokens();
        Long reportedCompletion = request.getReportedCompletionTokens();

        long promptTokens = reportedPrompt != null ? reportedPrompt : estimateTokens(request.getPromptText());
        long completionTokens = reportedCompletion != null
            ? reportedCompletion
            : estimateTokens(request.getCompletionText());
        TokenSource source = reportedPrompt != null && reportedCompletion != null
            ? TokenSource.REPORTED
            : TokenSource.ESTIMATED;

        return TokenUsage.newBuilder()
            .setRequestId(request.getRequestId())
            .setUserId(request.getUserId())
            .setTimestamp(request.getTimestamp())
            .setModel(request.getModel())
            .setProvider(request.getProvider())
            .setApp(request.getApp())
            .setPromptTokens(promptTokens)
            .setCompletionTokens(completionTokens)
            .setTotalTokens(Math.addExact(promptTokens, completionTokens))
            .setTokenSource(source)
            .setPeriod(periodName)
            .build();
    }

    /** Returns {@code ceil(codePoints / 4)} for a text, and 0 for a missing one. */
    static long estimateTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long codePoints = text.codePointCount(0, text.length());
        return (codePoints + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }
}
