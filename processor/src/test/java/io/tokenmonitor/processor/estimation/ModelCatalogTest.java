package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCatalogTest {

    private static final ModelCatalog SHIPPED = ModelCatalog.loadShipped();

    @TempDir
    Path tempDir;

    @Test
    void shouldLoadShippedCatalogue() {
        assertEquals(LocalDate.of(2026, 12, 4), SHIPPED.pricesCheckedOn());
        assertFalse(SHIPPED.sources().isEmpty());
        assertFalse(SHIPPED.entries().isEmpty());
    }

    @Test
    void shouldGiveEveryShippedEntryAFamily() {
        for (CatalogEntry entry : SHIPPED.entries()) {
            assertNotNull(entry.family(), entry.pattern());
        }
    }

    @Test
    void shouldDeclareLlama3TokenizerFile() {
        CustomTokenizerSpec llama3 = SHIPPED.customTokenizers().get(0);

        assertEquals("llama3", llama3.name());
        assertEquals("llama3.tiktoken", llama3.fileName());
        assertEquals(128_000, llama3.regularTokenCount().getAsInt());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // Bare ids without an organisation prefix.
        "Meta-Llama-3-70B-Instruct, LLAMA3",
        "Mixtral-8x7B-Instruct-v0.1, MISTRAL",
        "Qwen2-72B-Instruct, QWEN",
        "deepseek-llm-67b-chat, DEEPSEEK",
        "gpt-4o-2024-05-13, OPENAI",
        // Models that Hugging Face Inference Providers serve.
        "deepseek-ai/DeepSeek-V3-0324, DEEPSEEK",
        "deepseek-ai/DeepSeek-R1-0528, DEEPSEEK",
        "deepseek-ai/DeepSeek-V3.1, DEEPSEEK",
        "Qwen/Qwen3-Coder-480B-A35B-Instruct, QWEN",
        "moonshotai/Kimi-K2-Instruct, DEFAULT",
        "meta-llama/Llama-3.3-70B-Instruct, LLAMA3",
        "meta-llama/Meta-Llama-3.1-8B-Instruct, LLAMA3",
        "mistralai/Mixtral-8x7B-Instruct-v0.1, MISTRAL",
        "mistralai/Mistral-7B-Instruct-v0.3, MISTRAL",
        "Qwen/Qwen2.5-72B-Instruct, QWEN",
        "google/gemma-2-9b-it, GEMMA",
        // OpenAI models, bare and prefixed.
        "gpt-4o-mini, OPENAI",
        "openai/gpt-4.1-mini, OPENAI",
        "o3-mini, OPENAI",
        "gpt-3.5-turbo-0125, OPENAI",
        "gpt-4, OPENAI",
    })
    void shouldResolveFamily(String modelId, ModelFamily expected) {
        assertEquals(expected, SHIPPED.lookup(modelId).orElseThrow().family());
    }

    @ParameterizedTest(name = "{0} uses {1}")
    @CsvSource({
        "gpt-4o-2024-05-13, o200k_base",
        "gpt-4o-mini-2024-07-18, o200k_base",
        "gpt-4.1-nano, o200k_base",
        "o1, o200k_base",
        "o4-mini, o200k_base",
        "gpt-4, cl100k_base",
        "gpt-4-turbo, cl100k_base",
        "gpt-4-32k, cl100k_base",
        "gpt-3.5-turbo, cl100k_base",
        "Meta-Llama-3-70B-Instruct, llama3",
        "meta-llama/Llama-3.3-70B-Instruct, llama3",
        "llama-3.1-8b-instant, llama3",
        "llama3-70b-8192, llama3",
    })
    void shouldResolveTokenizer(String modelId, String expected) {
        assertEquals(Optional.of(expected), SHIPPED.lookup(modelId).orElseThrow().tokenizer());
    }

    @Test
    void shouldLeaveSentencePieceModelsWithoutTokenizer() {
        assertEquals(Optional.empty(), SHIPPED.lookup("Mixtral-8x7B-Instruct-v0.1").orElseThrow().tokenizer());
    }

    @Test
    void shouldNotMatchUnknownModels() {
        assertEquals(Optional.empty(), SHIPPED.lookup("claude-3-opus"));
        assertEquals(Optional.empty(), SHIPPED.lookup("anthropic/claude-3-opus"));
        assertEquals(Optional.empty(), SHIPPED.lookup(""));
        assertEquals(Optional.empty(), SHIPPED.lookup(null));
    }

    @Test
    void shouldPreferExactEntryOverPattern() {
        CatalogEntry entry = SHIPPED.lookup("gpt-4o-2024-05-13").orElseThrow();

        assertEquals("gpt-4o-2024-05-13", entry.pattern());
        assertEquals(Optional.of(new Price(5_000_000, 15_000_000)), entry.priceFor("openai"));
    }

    @Test
    void shouldCostShippedOpenAiPrice() {
        // 1,000 x $2.50 / 1M + 500 x $10 / 1M = $0.0025 + $0.005 = $0.0075.
        assertEquals(OptionalLong.of(7_500), SHIPPED.costMicros("gpt-4o", "openai", 1_000, 500));
    }

    @Test
    void shouldUseFallbackProviderForOthers() {
        assertEquals(OptionalLong.of(7_500), SHIPPED.costMicros("gpt-4o", null, 1_000, 500));
        assertEquals(OptionalLong.of(7_500), SHIPPED.costMicros("gpt-4o", "azure", 1_000, 500));
    }

    @Test
    void shouldMatchProvidersIgnoringCase() {
        // 1M x $0.56 / 1M + 1M x $1.68 / 1M = $2.24.
        assertEquals(OptionalLong.of(2_240_000),
            SHIPPED.costMicros("deepseek-ai/DeepSeek-V3-0324", "Fireworks-AI", 1_000_000, 1_000_000));
    }

    @Test
    void shouldGiveNoCostForUnpricedProvider() {
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("deepseek-ai/DeepSeek-V3-0324", "together", 10, 10));
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("deepseek-ai/DeepSeek-V3-0324", "auto", 10, 10));
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("deepseek-ai/DeepSeek-V3-0324", null, 10, 10));
    }

    @Test
    void shouldGiveNoCostForFamilyOnlyEntries() {
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("gpt-4o-audio-preview", "openai", 10, 10));
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("Mixtral-8x7B-Instruct-v0.1", "groq", 10, 10));
    }

    @Test
    void shouldGiveNoCostForUnknownModel() {
        assertEquals(OptionalLong.empty(), SHIPPED.costMicros("claude-3-opus", "anthropic", 10, 10));
    }

    @Test
    void shouldReplaceShippedEntryWithSamePattern() throws IOException {
        Path userFile = writeUserFile("""
            {"models": [{"model": "GPT-4O", "family": "OPENAI", "tokenizer": "o200k_base",
              "prices": {"openai": {"inputMicrosPerMillionTokens": 1000000,
                                    "outputMicrosPerMillionTokens": 2000000}}}]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals(SHIPPED.entries().size(), catalog.entries().size());
        assertEquals(Optional.of(new Price(1_000_000, 2_000_000)),
            catalog.lookup("gpt-4o").orElseThrow().priceFor("openai"));
        assertEquals(Optional.empty(), catalog.lookup("gpt-4o").orElseThrow().fallbackProvider());
    }

    @Test
    void shouldAddUserEntries() throws IOException {
        Path userFile = writeUserFile("""
            {"models": [{"model": "acme/house-model-*", "family": "LLAMA3", "tokenizer": "llama3",
              "prices": {"acme": {"inputMicrosPerMillionTokens": 100, "outputMicrosPerMillionTokens": 300}},
              "fallbackProvider": "acme"}]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals(SHIPPED.entries().size() + 1, catalog.entries().size());
        assertEquals(ModelFamily.LLAMA3, catalog.lookup("acme/house-model-v2").orElseThrow().family());
        // 10^6 x 100 + 10^6 x 300 micro-dollars per million = 400 micro-dollars.
        assertEquals(OptionalLong.of(400), catalog.costMicros("acme/house-model-v2", null, 1_000_000, 1_000_000));
        assertEquals(ModelFamily.OPENAI, catalog.lookup("gpt-4o").orElseThrow().family());
    }

    @ParameterizedTest(name = "{0} resolves to {1}")
    @CsvSource({
        "acme/other, acme/*",
        "acme/model-small, acme/model*",
        "model-small, acme/model*",
        "acme/model-x-small, model-x*",
        "model-x-small, model-x*",
        "acme/model-x-large, acme/model-x-large",
        "model-x-large, acme/model-x-large",
        "ACME/MODEL-X-LARGE, acme/model-x-large",
        "beta/model-x-small, model-x*",
        "beta/model-y, *model-y",
    })
    void shouldPickMostSpecificPattern(String modelId, String expectedPattern) throws IOException {
        Path userFile = writeUserFile("""
            {"models": [
              {"model": "acme/*", "family": "DEFAULT"},
              {"model": "acme/model*", "family": "DEFAULT"},
              {"model": "model-x*", "family": "DEFAULT"},
              {"model": "acme/model-x-large", "family": "DEFAULT"},
              {"model": "*model-y", "family": "DEFAULT"},
              {"model": "model-y*", "family": "DEFAULT"}
            ]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals(expectedPattern, catalog.lookup(modelId).orElseThrow().pattern());
    }

    @Test
    void shouldPreferOrganisationOnEqualLength() throws IOException {
        Path userFile = writeUserFile("""
            {"models": [
              {"model": "model-z*", "family": "DEFAULT"},
              {"model": "acme/model-z*", "family": "GEMMA"}
            ]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals("acme/model-z*", catalog.lookup("acme/model-z1").orElseThrow().pattern());
        assertEquals("acme/model-z*", catalog.lookup("model-z1").orElseThrow().pattern());
    }

    @Test
    void shouldPreferUserEntryOnTie() throws IOException {
        // The shipped *mixtral* and this mixtral* both have seven literal characters and no prefix.
        Path userFile = writeUserFile("""
            {"models": [{"model": "mixtral*", "family": "DEFAULT"}]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals(ModelFamily.DEFAULT, catalog.lookup("Mixtral-8x7B-Instruct-v0.1").orElseThrow().family());
        assertEquals(ModelFamily.MISTRAL, SHIPPED.lookup("Mixtral-8x7B-Instruct-v0.1").orElseThrow().family());
    }

    @Test
    void shouldReplaceShippedTokenizerWithSameName() throws IOException {
        Path userFile = writeUserFile("""
            {"tokenizers": [{"name": "llama3", "file": "meta-llama3.tiktoken", "splitPattern": "\\\\S+|\\\\s+"}]}
            """);

        ModelCatalog catalog = ModelCatalog.loadWithUserFile(userFile);

        assertEquals(1, catalog.customTokenizers().size());
        assertEquals("meta-llama3.tiktoken", catalog.customTokenizers().get(0).fileName());
        assertTrue(catalog.customTokenizers().get(0).regularTokenCount().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown family | {\"models\": [{\"model\": \"m\", \"family\": \"GPT\"}]}",
        "missing family | {\"models\": [{\"model\": \"m\"}]}",
        "misspelt field | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prize\": {}}]}",
        "fractional price | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prices\": {\"p\": "
            + "{\"inputMicrosPerMillionTokens\": 2.5, \"outputMicrosPerMillionTokens\": 1}}}]}",
        "price as string | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prices\": {\"p\": "
            + "{\"inputMicrosPerMillionTokens\": \"25\", \"outputMicrosPerMillionTokens\": 1}}}]}",
        "missing output price | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prices\": {\"p\": "
            + "{\"inputMicrosPerMillionTokens\": 25}}}]}",
        "negative price | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prices\": {\"p\": "
            + "{\"inputMicrosPerMillionTokens\": -1, \"outputMicrosPerMillionTokens\": 1}}}]}",
        "duplicate provider | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"prices\": {"
            + "\"p\": {\"inputMicrosPerMillionTokens\": 1, \"outputMicrosPerMillionTokens\": 1},"
            + "\"p\": {\"inputMicrosPerMillionTokens\": 2, \"outputMicrosPerMillionTokens\": 2}}}]}",
        "duplicate pattern | {\"models\": [{\"model\": \"m*\", \"family\": \"QWEN\"}, "
            + "{\"model\": \"M*\", \"family\": \"GEMMA\"}]}",
        "unknown tokenizer | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", \"tokenizer\": \"qwen2\"}]}",
        "fallback without price | {\"models\": [{\"model\": \"m\", \"family\": \"QWEN\", "
            + "\"fallbackProvider\": \"p\"}]}",
        "invalid pattern | {\"models\": [{\"model\": \"my model\", \"family\": \"QWEN\"}]}",
        "invalid date | {\"pricesCheckedOn\": \"04.12.2026\"}",
        "tokenizer file in a subdirectory | {\"tokenizers\": [{\"name\": \"t\", \"file\": \"../t.tiktoken\", "
            + "\"splitPattern\": \"\\\\S+\"}]}",
        "tokenizer named like an OpenAI encoding | {\"tokenizers\": [{\"name\": \"cl100k_base\", "
            + "\"file\": \"t.tiktoken\", \"splitPattern\": \"\\\\S+\"}]}",
        "invalid split pattern | {\"tokenizers\": [{\"name\": \"t\", \"file\": \"t.tiktoken\", "
            + "\"splitPattern\": \"(\"}]}",
        "special token without bars | {\"tokenizers\": [{\"name\": \"t\", \"file\": \"t.tiktoken\", "
            + "\"splitPattern\": \"\\\\S+\", \"specialTokens\": {\"[INST]\": 5}}]}",
        "not JSON | models: []",
    })
    void shouldRejectInvalidUserFile(String problem, String json) throws IOException {
        Path userFile = writeUserFile(json);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ModelCatalog.loadWithUserFile(userFile));

        assertTrue(error.getMessage().startsWith("Invalid model catalogue"), error.getMessage());
    }

    @Test
    void shouldNameUserFileInErrors() throws IOException {
        Path userFile = writeUserFile("{\"models\": [{\"model\": \"m\", \"family\": \"GPT\"}]}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ModelCatalog.loadWithUserFile(userFile));

        assertTrue(error.getMessage().contains(userFile.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("'GPT'"), error.getMessage());
    }

    @Test
    void shouldReportMissingUserFile() {
        Path missing = tempDir.resolve("missing.json");

        UncheckedIOException error = assertThrows(UncheckedIOException.class,
            () -> ModelCatalog.loadWithUserFile(missing));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    private Path writeUserFile(String json) throws IOException {
        Path file = tempDir.resolve("user-catalog.json");
        Files.writeString(file, json);
        return file;
    }
}
