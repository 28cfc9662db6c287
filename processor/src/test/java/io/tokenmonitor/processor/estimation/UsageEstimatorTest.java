package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageEstimatorTest {

    private static final UsageEstimator ESTIMATOR = UsageEstimator.shipped();
    private static final String TEXT = "hello world";

    private static TokenRequest.Builder request(String model) {
        return TokenRequest.newBuilder()
            .setRequestId("r1")
            .setUserId("u1")
            .setTimestamp(Instant.parse("2026-12-01T00:00:00Z"))
            .setModel(model)
            .setProvider("openai")
            .setPromptText(TEXT)
            .setCompletionText(TEXT);
    }

    @Test
    void reportedCountsWinOverExactTokenizer() {
        TokenUsage usage = ESTIMATOR.estimate(request("gpt-4o").setReportedPromptTokens(7L)
            .setReportedCompletionTokens(9L).build(), "2026-12-01");

        assertEquals(TokenSource.REPORTED, usage.getTokenSource());
        assertEquals("provider", usage.getEstimator());
        assertEquals(7, usage.getPromptTokens());
        assertEquals(9, usage.getCompletionTokens());
    }

    @Test
    void exactTokenizerWinsOverCalibration() {
        TokenUsage usage = ESTIMATOR.estimate(request("gpt-4o").build(), "2026-12-01");

        assertEquals(TokenSource.EXACT, usage.getTokenSource());
        assertEquals("o200k_base", usage.getEstimator());
        assertEquals(2, usage.getPromptTokens());
    }

    @Test
    void calibrationServesKnownModelWithoutTokenizer() {
        TokenUsage usage = ESTIMATOR.estimate(request("mistralai/Mixtral-8x7B-Instruct-v0.1").build(), "2026-12-01");

        assertEquals(TokenSource.ESTIMATED, usage.getTokenSource());
        assertEquals("calibrated-mistral", usage.getEstimator());
        assertEquals(CalibratedEstimator.forFamily(ModelFamily.MISTRAL).count(TEXT), usage.getPromptTokens());
    }

    @Test
    void heuristicServesUnknownModel() {
        TokenUsage usage = ESTIMATOR.estimate(request("acme/never-heard-of-it").build(), "2026-12-01");

        assertEquals(TokenSource.HEURISTIC, usage.getTokenSource());
        assertEquals(3, usage.getPromptTokens());
        assertNull(usage.getCostMicros());
    }

    @Test
    void onePartReportedTakesOtherFromChain() {
        TokenUsage usage = ESTIMATOR.estimate(request("gpt-4o").setReportedPromptTokens(100L).build(), "2026-12-01");

        assertEquals(TokenSource.EXACT, usage.getTokenSource());
        assertEquals(100, usage.getPromptTokens());
        assertEquals(2, usage.getCompletionTokens());
    }

    @Test
    void reportedTotalKeepsReportedPart() {
        TokenUsage usage = ESTIMATOR.estimate(request("gpt-4o").setReportedPromptTokens(30L)
            .setReportedTotalTokens(50L).build(), "2026-12-01");

        assertEquals(TokenSource.REPORTED, usage.getTokenSource());
        assertEquals(30, usage.getPromptTokens());
        assertEquals(20, usage.getCompletionTokens());
    }

    @Test
    void reportedTotalWithoutTextGoesToCompletion() {
        TokenUsage usage = ESTIMATOR.estimate(request("gpt-4o").setPromptText(null).setCompletionText(null)
            .setReportedTotalTokens(50L).build(), "2026-12-01");

        assertEquals(0, usage.getPromptTokens());
        assertEquals(50, usage.getCompletionTokens());
    }

    @Test
    void unknownProviderPriceGivesNoCost() {
        TokenUsage usage = ESTIMATOR.estimate(request("meta-llama/Meta-Llama-3-70B-Instruct").setProvider("auto")
            .build(), "2026-12-01");

        assertNull(usage.getCostMicros());
    }
}
