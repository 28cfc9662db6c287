package io.tokenmonitor.processor.topology;

import io.tokenmonitor.schema.TokenRequest;
import java.time.Instant;

/**
 * Builders of test requests with sensible defaults, so each test states only what it varies.
 */
public final class TestRequests {

    public static final Instant DEFAULT_TIME = Instant.parse("2026-03-10T12:00:00Z");

    private static int nextId = 1;

    private TestRequests() {
    }

    /** Returns a builder of a request by user-1 to a Llama model at {@link #DEFAULT_TIME}, with no counts. */
    public static TokenRequest.Builder request() {
        return TokenRequest.newBuilder()
            .setRequestId("req-" + nextId++)
            .setUserId("user-1")
            .setTimestamp(DEFAULT_TIME)
            .setModel("meta-llama/Meta-Llama-3-70B-Instruct")
            .setProvider("auto");
    }

    /** Returns a request of a user with provider-reported counts. */
    public static TokenRequest reported(String userId, Instant time, long promptTokens, long completionTokens) {
        return request()
            .setUserId(userId)
            .setTimestamp(time)
            .setReportedPromptTokens(promptTokens)
            .setReportedCompletionTokens(completionTokens)
            .build();
    }
}
