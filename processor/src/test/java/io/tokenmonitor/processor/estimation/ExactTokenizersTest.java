package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected OpenAI counts were produced independently with the npm package gpt-tokenizer 4.0.0 (Node 20), by
 * {@code encode(text, {disallowedSpecial: new Set()}).length} with {@code gpt-tokenizer/cjs/encoding/<name>},
 * so special-token strings count as ordinary text there too. Counts for the tiny custom vocabulary were worked
 * out by hand.
 */
class ExactTokenizersTest {

    private static final ExactTokenizers OPENAI = ExactTokenizers.openAiOnly();

    private static final Map<String, String> TEXTS = Map.of(
        "greeting", "Hello, world!",
        "python", "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
        "html", "<div class=\"flex items-center justify-between p-4 bg-white shadow-md\">\n"
            + "  <a href=\"/\">Home</a>\n</div>",
        "emoji", "Launch 🚀🔥 done ✅ 👩‍💻",
        "japanese", "東京は日本の首都です。",
        "korean", "안녕하세요, 반갑습니다!",
        "numbers", "Total: 1234567.89 USD on 2026-12-04",
        "specialTokenText", "Ignore <|endoftext|> and go on",
        // Single pre-tokenizer pieces of 600 bytes, which jtokkit encodes on its path for long pieces.
        "longRun", "x".repeat(600),
        "longWord", "Supercalifragilistic".repeat(30));

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0} has {1} tokens in {2}")
    @CsvSource({
        "greeting, 4, cl100k_base",
        "python, 26, cl100k_base",
        "html, 28, cl100k_base",
        "emoji, 16, cl100k_base",
        "japanese, 11, cl100k_base",
        "korean, 11, cl100k_base",
        "numbers, 17, cl100k_base",
        "specialTokenText, 10, cl100k_base",
        "longRun, 75, cl100k_base",
        "longWord, 210, cl100k_base",
        "greeting, 4, o200k_base",
        "python, 26, o200k_base",
        "html, 28, o200k_base",
        "emoji, 11, o200k_base",
        "japanese, 8, o200k_base",
        "korean, 7, o200k_base",
        "numbers, 17, o200k_base",
        "specialTokenText, 11, o200k_base",
        "longRun, 75, o200k_base",
        "longWord, 180, o200k_base",
        "python, 30, r50k_base",
        "korean, 29, r50k_base",
        "python, 28, p50k_base",
        "html, 37, p50k_base",
    })
    void shouldCountOpenAiEncodingsExactly(String textName, long expected, String encoding) {
        ExactTokenCounter counter = OPENAI.counterFor(encoding).orElseThrow();

        assertEquals(expected, counter.count(TEXTS.get(textName)));
    }

    @Test
    void shouldCountMissingTextAsZero() {
        ExactTokenCounter counter = OPENAI.counterFor("o200k_base").orElseThrow();

        assertEquals(0, counter.count(null));
        assertEquals(0, counter.count(""));
    }

    @Test
    void shouldReuseCounterPerEncoding() {
        ExactTokenCounter first = OPENAI.counterFor("cl100k_base").orElseThrow();

        assertSame(first, OPENAI.counterFor("cl100k_base").orElseThrow());
        assertEquals("cl100k_base", first.encodingName());
    }

    @Test
    void shouldFindNothingForUnknownTokenizers() {
        assertEquals(Optional.empty(), OPENAI.counterFor("llama3"));
        assertEquals(Optional.empty(), OPENAI.counterFor("sentencepiece"));
        assertEquals(Optional.empty(), OPENAI.counterFor(""));
        assertEquals(Optional.empty(), OPENAI.counterFor((String) null));
    }

    @Test
    void shouldFindCounterForCatalogEntry() {
        ModelCatalog catalog = ModelCatalog.loadShipped();

        Optional<ExactTokenCounter> gpt4o = OPENAI.counterFor(catalog.lookup("gpt-4o").orElseThrow());
        Optional<ExactTokenCounter> mixtral = OPENAI.counterFor(catalog.lookup("Mixtral-8x7B").orElseThrow());

        assertEquals("o200k_base", gpt4o.orElseThrow().encodingName());
        assertEquals(Optional.empty(), mixtral);
    }

    @Test
    void shouldFallThroughWhenLlama3FileIsMissing() {
        ModelCatalog catalog = ModelCatalog.loadShipped();
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.of(tempDir), catalog.customTokenizers());

        assertEquals(Set.of(), tokenizers.loadedCustomTokenizers());
        assertEquals(Optional.empty(), tokenizers.counterFor(catalog.lookup("Meta-Llama-3-70B-Instruct").orElseThrow()));
    }

    @Test
    void shouldFallThroughWithoutDirectory() {
        ModelCatalog catalog = ModelCatalog.loadShipped();
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.empty(), catalog.customTokenizers());

        assertEquals(Optional.empty(), tokenizers.counterFor("llama3"));
    }

    @Test
    void shouldRejectTruncatedLlama3File() throws IOException {
        // The shipped llama3 spec expects 128,000 ranks, so this 260-rank file is not a Llama 3 vocabulary.
        writeTinyRanks("llama3.tiktoken");
        ModelCatalog catalog = ModelCatalog.loadShipped();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(tempDir), catalog.customTokenizers()));

        assertTrue(error.getMessage().contains("expected 128000 ranks but found 260"), error.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" has {1} tokens")
    @CsvSource(delimiter = '|', value = {
        // "abcd" merges a+b (rank 256) first, then c+d (257), then ab+cd (258): one token.
        "abcd | 1",
        // Pieces "abcd", " ", "abcd", " ", "ab", " ", "x": seven tokens.
        "abcd abcd ab x | 7",
        // No pair of "dcba" has a rank, so it stays four single bytes.
        "dcba | 4",
        // "abc" merges a+b, but ab+c has no rank: two tokens.
        "abc | 2",
        // é is two bytes in UTF-8, and no pair of them has a rank.
        "é | 2",
    })
    void shouldCountWithCustomRanksFile(String text, long expected) throws IOException {
        writeTinyRanks("tiny.tiktoken");
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.of(tempDir), List.of(tinySpec(OptionalInt.of(260))));

        ExactTokenCounter counter = tokenizers.counterFor("tiny").orElseThrow();

        assertEquals(expected, counter.count(text));
        assertEquals(Set.of("tiny"), tokenizers.loadedCustomTokenizers());
    }

    @Test
    void shouldCountSpecialTokenTextAsOrdinary() throws IOException {
        writeTinyRanks("tiny.tiktoken");
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.of(tempDir), List.of(tinySpec(OptionalInt.of(260))));

        ExactTokenCounter counter = tokenizers.counterFor("tiny").orElseThrow();

        // Seven single bytes, none merged. Read as the special token <|end|> it would be one token.
        assertEquals(7, counter.count("<|end|>"));
    }

    @Test
    void shouldRejectMissingTokenizerDirectory() {
        Path missing = tempDir.resolve("missing");

        assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(missing), List.of(tinySpec(OptionalInt.empty()))));
    }

    @Test
    void shouldRejectRanksFileWithoutEveryByte() throws IOException {
        List<String> lines = tinyRanksLines();
        lines.remove(200);
        Files.write(tempDir.resolve("tiny.tiktoken"), lines);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(tempDir), List.of(tinySpec(OptionalInt.empty()))));

        assertTrue(error.getMessage().contains("no rank for the single byte 200"), error.getMessage());
    }

    @ParameterizedTest(name = "line \"{0}\" is invalid")
    @CsvSource(delimiter = '|', value = {
        "YWI= | missing rank",
        "YWI= 256 7 | extra field",
        "not*base64 300 | invalid base64",
        "eHk= -5 | negative rank",
        "eHk= many | rank not a number",
        "eHk= 0 | rank already used by byte 0",
        "AA== 300 | token already listed",
    })
    void shouldRejectMalformedRanksLine(String line, String problem) throws IOException {
        List<String> lines = tinyRanksLines();
        lines.add(line);
        Files.write(tempDir.resolve("tiny.tiktoken"), lines);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(tempDir), List.of(tinySpec(OptionalInt.empty()))), problem);

        assertTrue(error.getMessage().contains("line 261"), error.getMessage());
    }

    @Test
    void shouldRejectSpecialTokenIdUsedByRank() throws IOException {
        writeTinyRanks("tiny.tiktoken");
        CustomTokenizerSpec clashing = new CustomTokenizerSpec(
            "tiny", "tiny.tiktoken", "\\S+|\\s+", OptionalInt.empty(), Map.of("<|end|>", 258));

        assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(tempDir), List.of(clashing)));
    }

    @Test
    void shouldRejectDuplicateSpecNames() {
        CustomTokenizerSpec spec = tinySpec(OptionalInt.empty());

        assertThrows(IllegalArgumentException.class,
            () -> new ExactTokenizers(Optional.of(tempDir), List.of(spec, spec)));
    }

    private static CustomTokenizerSpec tinySpec(OptionalInt regularTokenCount) {
        return new CustomTokenizerSpec(
            "tiny", "tiny.tiktoken", "\\S+|\\s+", regularTokenCount, Map.of("<|end|>", 1_000));
    }

    private void writeTinyRanks(String fileName) throws IOException {
        Files.write(tempDir.resolve(fileName), tinyRanksLines());
    }

    /** Returns ranks 0 to 255 for the single bytes, then the merges ab (256), cd (257), abcd (258) and xy (259). */
    private static List<String> tinyRanksLines() {
        List<String> lines = new ArrayList<>();
        for (int value = 0; value < 256; value++) {
            lines.add(Base64.getEncoder().encodeToString(new byte[] {(byte) value}) + " " + value);
        }
        lines.add(base64("ab") + " 256");
        lines.add(base64("cd") + " 257");
        lines.add(base64("abcd") + " 258");
        lines.add(base64("xy") + " 259");
        return lines;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
