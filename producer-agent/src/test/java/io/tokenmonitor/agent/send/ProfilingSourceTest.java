package io.tokenmonitor.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TextProfile;
import io.tokenmonitor.schema.TokenRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProfilingSourceTest {

    private static TokenRequest.Builder request() {
        return TokenRequest.newBuilder()
            .setRequestId("r-1")
            .setUserId("alice")
            .setTimestamp(Instant.parse("2025-09-01T10:00:00Z"))
            .setModel("gpt-4o")
            .setProvider("openai")
            .setApp("cli");
    }

    @Test
    void withoutTextsKeepsOtherFields() {
        TokenRequest original = request().setPromptText("hi").setReportedCompletionTokens(5L).build();

        TokenRequest profiled = ProfilingSource.withoutTexts(original);

        assertEquals(original.getRequestId(), profiled.getRequestId());
        assertEquals(original.getUserId(), profiled.getUserId());
        assertEquals(original.getTimestamp(), profiled.getTimestamp());
        assertEquals(original.getModel(), profiled.getModel());
        assertEquals(original.getProvider(), profiled.getProvider());
        assertEquals(original.getApp(), profiled.getApp());
        assertEquals(5L, profiled.getReportedCompletionTokens());
        assertNull(profiled.getPromptText());
        assertEquals(2, profiled.getPromptProfile().getCodePoints());
    }

    @Test
    void withoutTextsLeavesMissingTextMissing() {
        TokenRequest profiled = ProfilingSource.withoutTexts(request().build());

        assertNull(profiled.getPromptProfile());
        assertNull(profiled.getCompletionProfile());
    }

    @Test
    void withoutTextsKeepsExistingProfile() {
        TextProfile existing = TextProfiles.ofText("already profiled");

        TokenRequest profiled = ProfilingSource.withoutTexts(request().setCompletionProfile(existing).build());

        assertEquals(existing, profiled.getCompletionProfile());
    }

    @Test
    void withoutTextsDoesNotChangeOriginal() {
        TokenRequest original = request().setPromptText("hi").build();

        ProfilingSource.withoutTexts(original);

        assertEquals("hi", original.getPromptText());
        assertNull(original.getPromptProfile());
    }
}
