package io.tokenmonitor.agent;

import io.tokenmonitor.schema.TokenRequest;
import java.time.Instant;

/** Builders of TokenRequests with defaults, so each test states only what it varies. */
public final class TestRequests {

    public static final Instant TIME = Instant.parse("2025-09-15T10:00:00Z");

    private TestRequests() {
    }

    /** Returns a builder of a valid request with reported counts for the given user. */
    public static TokenRequest.Builder request(String requestId, String userId) {
        return TokenRequest.newBuilder()
            .setRequestId(requestId)
            .setUserId(userId)
            .setTimestamp(TIME)
            .setModel("deepseek-ai/DeepSeek-V3-0324")
            .setProvider("together")
            .setReportedPromptTokens(100L)
            .setReportedCompletionTokens(50L)
            .setApp("test");
    }
}
