package io.tokenmonitor.agent.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.schema.TokenRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestGeneratorTest {

    private static final Instant NOW = Instant.parse("2025-09-20T08:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void shouldRepeatContentForSameSeed() {
        List<TokenRequest> first = generate(new RequestGenerator(5, 50, new Random(42), new SyntheticTexts(), CLOCK), 50);
        List<TokenRequest> second = generate(new RequestGenerator(5, 50, new Random(42), new SyntheticTexts(), CLOCK), 50);

        for (int i = 0; i < first.size(); i++) {
            TokenRequest a = first.get(i);
            TokenRequest b = second.get(i);
            assertEquals(a.getUserId(), b.getUserId(), "userId of request " + i);
            assertEquals(a.getModel(), b.getModel(), "model of request " + i);
            assertEquals(a.getProvider(), b.getProvider(), "provider of request " + i);
            assertEquals(a.getPromptText(), b.getPromptText(), "promptText of request " + i);
            assertEquals(a.getReportedPromptTokens(), b.getReportedPromptTokens(), "reportedPromptTokens of " + i);
            assertNotEquals(a.getRequestId(), b.getRequestId(), "requestId of request " + i);
        }
    }

    @Test
    void shouldDrawFromCatalogAndUserRange() {
        List<TokenRequest> requests =
            generate(new RequestGenerator(3, 50, new Random(7), new SyntheticTexts(), CLOCK), 500);

        Set<String> users = new HashSet<>();
        Set<String> requestIds = new HashSet<>();
        for (TokenRequest request : requests) {
            users.add(request.getUserId());
            requestIds.add(request.getRequestId());
            assertTrue(ModelCatalog.MODELS.contains(request.getModel()), request.getModel());
            assertTrue(ModelCatalog.PROVIDERS.contains(request.getProvider()), request.getProvider());
            assertTrue(ModelCatalog.APPS.contains(request.getApp()), request.getApp());
            assertEquals(NOW, request.getTimestamp());
            assertEquals(4, UUID.fromString(request.getRequestId()).version());
        }
        assertEquals(Set.of("user-1", "user-2", "user-3"), users);
        assertEquals(500, requestIds.size());
    }

    @Test
    void shouldMixReportedCountsAndTextOnly() {
        List<TokenRequest> requests =
            generate(new RequestGenerator(10, 30, new Random(1), new SyntheticTexts(), CLOCK), 1000);

        int reported = 0;
        for (TokenRequest request : requests) {
            if (request.getReportedPromptTokens() != null) {
                reported++;
                assertNotNull(request.getReportedCompletionTokens());
                assertNull(request.getPromptText());
                long prompt = request.getReportedPromptTokens();
                assertTrue(prompt >= RequestGenerator.MIN_PROMPT_TOKENS, "prompt tokens " + prompt);
                assertTrue(prompt <= RequestGenerator.MAX_PROMPT_TOKENS, "prompt tokens " + prompt);
            } else {
                assertNull(request.getReportedCompletionTokens());
                int promptChars = request.getPromptText().length();
                int completionChars = request.getCompletionText().length();
                assertTrue(promptChars >= SyntheticTexts.MIN_PROMPT_CHARS, "prompt length " + promptChars);
                assertTrue(promptChars <= SyntheticTexts.MAX_PROMPT_CHARS, "prompt length " + promptChars);
                assertTrue(completionChars >= SyntheticTexts.MIN_COMPLETION_CHARS, "completion length " + completionChars);
                assertTrue(completionChars <= SyntheticTexts.MAX_COMPLETION_CHARS, "completion length " + completionChars);
            }
        }
        assertTrue(reported > 240, "about 30% of 1000 have reported counts: " + reported);
        assertTrue(reported < 360, "about 30% of 1000 have reported counts: " + reported);
    }

    @Test
    void shouldUseTextsFromSource() {
        TextSource fixed = random -> new TextSource.TextPair("prompt", "completion");

        TokenRequest request = new RequestGenerator(1, 0, new Random(3), fixed, CLOCK).next();

        assertEquals("prompt", request.getPromptText());
        assertEquals("completion", request.getCompletionText());
        assertEquals("user-1", request.getUserId());
    }

    @Test
    void shouldRejectInvalidSettings() {
        assertThrows(IllegalArgumentException.class,
            () -> new RequestGenerator(0, 50, new Random(), new SyntheticTexts(), CLOCK));
        assertThrows(IllegalArgumentException.class,
            () -> new RequestGenerator(1, 101, new Random(), new SyntheticTexts(), CLOCK));
    }

    private static List<TokenRequest> generate(RequestGenerator generator, int count) {
        List<TokenRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(generator.next());
        }
        return requests;
    }
}
