package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelIdPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        // Wildcards and case.
        "gpt-4o*, gpt-4o-mini, true",
        "gpt-4o*, GPT-4O, true",
        "gpt-4o*, gpt-4, false",
        "gpt-4o*, my-gpt-4o, false",
        "*mixtral*, Mixtral-8x7B-Instruct-v0.1, true",
        "a*b*c, abc, true",
        "a*b*c, aXbYc, true",
        "a*b*c, acb, false",
        "ab*ba, aba, false",
        "*, anything-at-all, true",
        // A pattern without a prefix matches ids with or without one.
        "gpt-4o*, openai/gpt-4o-2024-05-13, true",
        "gpt-4o, openai/gpt-4o, true",
        "gpt-4o, gpt-4o-mini, false",
        "*mixtral*, mistralai/Mixtral-8x7B-Instruct-v0.1, true",
        // A pattern with a prefix needs the same organisation, or a bare id.
        "meta-llama/*Llama-3*, meta-llama/Meta-Llama-3-70B-Instruct, true",
        "META-LLAMA/*llama-3*, meta-llama/Llama-3.3-70B-Instruct, true",
        "meta-llama/*Llama-3*, Meta-Llama-3-70B-Instruct, true",
        "meta-llama/*Llama-3*, NousResearch/Hermes-3-Llama-3.1-8B, false",
        "meta-llama/*Llama-3*, meta-llama/Llama-2-7b-chat-hf, false",
        // A prefix with only a wildcard after it never matches a bare id.
        "Qwen/*, Qwen/Qwen2-72B-Instruct, true",
        "Qwen/*, Qwen2-72B-Instruct, false",
        "Qwen/*, mistralai/Mixtral-8x7B-Instruct-v0.1, false",
        // Ids with several slashes, as Fireworks uses.
        "accounts/fireworks/models/llama-v3p1*, accounts/fireworks/models/llama-v3p1-8b-instruct, true",
        "llama-v3p1*, accounts/fireworks/models/llama-v3p1-8b-instruct, true",
    })
    void shouldMatchModelIds(String pattern, String modelId, boolean expected) {
        assertEquals(expected, ModelIdPattern.parse(pattern).matches(modelId));
    }

    @Test
    void shouldIgnoreSurroundingSpaceInIds() {
        assertTrue(ModelIdPattern.parse("gpt-4o").matches("  gpt-4o\n"));
    }

    @Test
    void shouldNotMatchMissingIds() {
        ModelIdPattern pattern = ModelIdPattern.parse("*");

        assertFalse(pattern.matches(null));
        assertFalse(pattern.matches(""));
        assertFalse(pattern.matches("   "));
    }

    @Test
    void shouldMeasureSpecificityOnModelName() {
        ModelIdPattern pattern = ModelIdPattern.parse("meta-llama/*Llama-3*");

        assertEquals(7, pattern.literalNameLength());
        assertTrue(pattern.hasOrganisation());
        assertFalse(pattern.isExact());
        assertEquals("meta-llama/*llama-3*", pattern.key());
    }

    @ParameterizedTest(name = "pattern \"{0}\" is invalid")
    @ValueSource(strings = {"", "   ", "gpt 4o", "meta-llama/"})
    void shouldRejectInvalidPatterns(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> ModelIdPattern.parse(pattern));
    }

    @Test
    void shouldRejectNullPattern() {
        assertThrows(IllegalArgumentException.class, () -> ModelIdPattern.parse(null));
    }
}
