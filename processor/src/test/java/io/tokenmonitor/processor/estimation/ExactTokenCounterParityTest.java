package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that {@link ExactTokenCounter} counts exactly as jtokkit 1.1.0's {@code countTokensOrdinary} does, on
 * every prompt and completion of the shared request files and on generated hostile texts.
 */
class ExactTokenCounterParityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ExactTokenizers TOKENIZERS = ExactTokenizers.openAiOnly();
    private static final JtokkitReference JTOKKIT = new JtokkitReference();
    private static final long SEED = 20261204L;

    @TempDir
    Path tempDir;

    @AfterAll
    static void closeJtokkit() throws Exception {
        JTOKKIT.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void shouldEqualJtokkitOnSharedRequests(String encoding) throws IOException {
        ExactTokenCounter counter = TOKENIZERS.counterFor(encoding).orElseThrow();
        int checked = 0;

        for (Path file : requestFiles()) {
            JsonNode records = MAPPER.readTree(file.toFile());
            for (int index = 0; index < records.size(); index++) {
                for (String field : List.of("instruction", "output")) {
                    String text = records.get(index).path(field).asText();
                    String where = file.getFileName() + " record " + index + " " + field;

                    assertEquals(JTOKKIT.count(encoding, text), counter.count(text), where + " in " + encoding);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 2 * 805, "only " + checked + " texts checked");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "p50k_edit", "r50k_base"})
    void shouldEqualJtokkitOnHostileTexts(String encoding) {
        ExactTokenCounter counter = TOKENIZERS.counterFor(encoding).orElseThrow();

        for (Map.Entry<String, String> text : hostileTexts(new Random(SEED)).entrySet()) {
            String value = text.getValue();

            assertEquals(JTOKKIT.count(encoding, value), counter.count(value),
                () -> "text " + text.getKey() + " (seed " + SEED + ", " + value.length() + " chars) in " + encoding);
        }
    }

    @Test
    void shouldEqualJtokkitWithCustomRanksFile() throws IOException {
        // A custom tokenizer with o200k_base's ranks under the shipped Llama 3 split pattern, which differs
        // from every OpenAI pattern, so that the custom path is checked on a real vocabulary.
        Map<byte[], Integer> ranks = readJtokkitRanks("o200k_base.tiktoken");
        List<String> lines = new ArrayList<>();
        ranks.forEach((token, rank) -> lines.add(Base64.getEncoder().encodeToString(token) + " " + rank));
        Files.write(tempDir.resolve("custom.tiktoken"), lines);
        CustomTokenizerSpec llama3 = ModelCatalog.loadShipped().customTokenizers().stream()
            .filter(spec -> spec.name().equals("llama3"))
            .findFirst()
            .orElseThrow();
        CustomTokenizerSpec custom = new CustomTokenizerSpec(
            "custom", "custom.tiktoken", llama3.splitPattern(), OptionalInt.empty(), Map.of());
        ExactTokenizers tokenizers = new ExactTokenizers(Optional.of(tempDir), List.of(custom));
        ExactTokenCounter counter = tokenizers.counterFor("custom").orElseThrow();
        JTOKKIT.register("custom", custom.compiledSplitPattern(), ranks);

        for (Map.Entry<String, String> text : hostileTexts(new Random(SEED)).entrySet()) {
            String value = text.getValue();

            assertEquals(JTOKKIT.count("custom", value), counter.count(value),
                () -> "text " + text.getKey() + " (seed " + SEED + ")");
        }
    }

    @Test
    void shouldEqualJtokkitWhenPatternMatchesEmpty() throws IOException {
        // \S* also matches the empty string between pieces, which counts as no tokens, and whitespace is skipped.
        Map<byte[], Integer> ranks = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (int value = 0; value < 256; value++) {
            ranks.put(new byte[] {(byte) value}, value);
            lines.add(Base64.getEncoder().encodeToString(new byte[] {(byte) value}) + " " + value);
        }
        ranks.put("ab".getBytes(StandardCharsets.UTF_8), 256);
        lines.add(Base64.getEncoder().encodeToString("ab".getBytes(StandardCharsets.UTF_8)) + " 256");
        Files.write(tempDir.resolve("empty.tiktoken"), lines);
        CustomTokenizerSpec spec = new CustomTokenizerSpec(
            "empty", "empty.tiktoken", "\\S*", OptionalInt.empty(), Map.of());
        ExactTokenCounter counter = new ExactTokenizers(Optional.of(tempDir), List.of(spec))
            .counterFor("empty")
            .orElseThrow();
        JTOKKIT.register("empty", spec.compiledSplitPattern(), ranks);

        assertEquals(3, counter.count("ab cd"));
        for (Map.Entry<String, String> text : hostileTexts(new Random(SEED)).entrySet()) {
            String value = text.getValue();

            assertEquals(JTOKKIT.count("empty", value), counter.count(value),
                () -> "text " + text.getKey() + " (seed " + SEED + ")");
        }
    }

    @Test
    void shouldCountAlikeOnConcurrentThreads() throws Exception {
        ExactTokenCounter counter = TOKENIZERS.counterFor("o200k_base").orElseThrow();
        List<String> texts = new ArrayList<>(hostileTexts(new Random(SEED)).values());
        List<Long> expected = texts.stream().map(counter::count).toList();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                results.add(pool.submit(() -> texts.stream().map(counter::count).toList()));
            }
            for (Future<List<Long>> result : results) {
                assertEquals(expected, result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCountEmptyAndNullAsZero() {
        ExactTokenCounter counter = TOKENIZERS.counterFor("o200k_base").orElseThrow();

        assertEquals(0, counter.count(""));
        assertEquals(0, counter.count(null));
    }

    /**
     * Returns named texts that stress the split pattern, the UTF-8 encoding and both merge paths of
     * {@link BytePairCounter}. Every text is generated from the random source, so the seed reproduces them.
     */
    static Map<String, String> hostileTexts(Random random) {
        Map<String, String> texts = new LinkedHashMap<>();
        String[] singles = {"", " ", "\n", "\r", "\t", "a", "Z", "7", "'", "é", "漢", "🚀", "\uD83D", "\uDE80",
            "\uD800", "\uDFFF", "\u0301", "\u00A0", "\u3000", "\u2028", "ſ", "ǅ", "ʰ", "½", "Ⅻ", "٣", "\u0000"};
        for (int i = 0; i < singles.length; i++) {
            texts.put("single " + i, singles[i]);
        }

        texts.put("spaces 10000", " ".repeat(10_000));
        texts.put("spaces then word", " ".repeat(3_000) + "word");
        texts.put("newlines 5000", "\n".repeat(5_000));
        texts.put("crlf 3000", "\r\n".repeat(3_000));
        texts.put("space newline 3000", " \n".repeat(3_000) + "  x");
        texts.put("tabs 4000", "\t".repeat(4_000));
        texts.put("mixed whitespace", "  \n\n  \r\n\t  x \u00A0\u3000 y\u2028\u2029 \u0085z   ");
        texts.put("digits 20000", "1234567890".repeat(2_000));
        texts.put("random digits", randomFrom(random, "0123456789", 15_000));
        texts.put("base64 20000", randomFrom(random,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 20_000) + "==");
        texts.put("cjk 5000", randomRange(random, 0x4E00, 0x9FFF, 5_000));
        texts.put("hangul 3000", randomRange(random, 0xAC00, 0xD7A3, 3_000));
        texts.put("word 100 KB", randomFrom(random, "abcdefghijklmnopqrstuvwxyz", 100_000));
        texts.put("same letter 100 KB", "a".repeat(100_000));
        texts.put("two letters 20000", "ab".repeat(10_000));
        texts.put("punctuation 20000", randomFrom(random, "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~", 20_000));
        texts.put("emoji 3000", "👩‍💻🚀🔥".repeat(1_000));
        texts.put("combining marks", "e\u0301".repeat(2_000) + " Z\u0308\u0301\u0327 a\u20DD");
        texts.put("special tokens", "<|endoftext|> a <|fim_prefix|>x<|fim_middle|>y<|fim_suffix|>z<|endofprompt|>"
            + "<|im_start|>user\nhi<|im_end|>");
        texts.put("contractions", "I'm you're THEY'LL we'VE it's 'd 'ſ ſ'S don'T o'Reilly ''s 'll'll 'REx");
        texts.put("mixed scripts", "Hello Привет Γειά σου مرحبا नमस्ते 안녕하세요 こんにちは 你好 שלום สวัสดี"
            + " ǅemal ʰi ǈ ŉ Ⅻ ½ ٣٤٥ 12,345.67");
        texts.put("surrogate edge cases", "a\uD800b\uDC00c\uDBFF\uDFFF d \uDC00\uD800 \uD83D\uD83D\uDE80 \uDE80x"
            + "'\uD800 \uD800\n\uDFFF123");

        for (int i = 0; i < 200; i++) {
            texts.put("random code points " + i, randomCodePoints(random, 1 + random.nextInt(400)));
        }
        for (int i = 0; i < 500; i++) {
            texts.put("fragments " + i, randomFragments(random, 1 + random.nextInt(60)));
        }
        for (int i = 0; i < 20; i++) {
            texts.put("long random code points " + i, randomCodePoints(random, 5_000 + random.nextInt(20_000)));
        }
        return texts;
    }

    private static final String[] FRAGMENTS = {" ", "  ", "   ", "\n", "\n\n", "\r\n", "\r", "\t", "a", "A",
        "hello", "World", "HTTP", "é", "É", "'s", "'S", "'ll", "'LL", "'ve", "'re", "'d", "'m", "'t", "'", "ſ",
        "123", "4", "56789", "٣", "Ⅻ", "½", "!", "...", "/", "//", "/\n", "?!", "<|endoftext|>", "<|", "|>", "漢字",
        "カタカナ", "🚀", "👩‍💻", "\u0301", "\u00A0", "\u3000", "\u2028", "\u0085", "\u000B", "\f", "\uD800",
        "\uDC00", "ǅ", "ʰ", "ß", "İ", "ı", "\u200D", "\uFEFF", "x".repeat(300), " ".repeat(200), "9".repeat(130),
        "\u0000", "\u007F", "€", "—", "“", "”"};

    private static String randomFragments(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        return text.toString();
    }

    /** Returns random code points of any plane, including unpaired surrogates, unassigned and private ones. */
    private static String randomCodePoints(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind < 3) {
                text.append((char) (0x20 + random.nextInt(0x5F)));
            } else if (kind < 6) {
                text.append((char) random.nextInt(0x10000));
            } else if (kind < 8) {
                text.appendCodePoint(0x10000 + random.nextInt(0x100000));
            } else if (kind < 9) {
                text.append(" \n\t\r".charAt(random.nextInt(4)));
            } else {
                text.append((char) (0xD800 + random.nextInt(0x800)));
            }
        }
        return text.toString();
    }

    private static String randomFrom(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String randomRange(Random random, int first, int last, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(first + random.nextInt(last - first + 1));
        }
        return text.toString();
    }

    private static Map<byte[], Integer> readJtokkitRanks(String fileName) throws IOException {
        String resource = "/com/knuddels/jtokkit/" + fileName;
        try (InputStream stream = Encodings.class.getResourceAsStream(resource)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            return TiktokenRanks.read(reader, resource, OptionalInt.empty());
        }
    }

    /** Returns the shared request files, found in the working folder or a parent, or skips the test. */
    private static List<Path> requestFiles() throws IOException {
        Path relative = Path.of("shared", "data", "llm-requests");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path folder = dir.resolve(relative);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
                }
            }
        }
        String reason = "Skipped: no folder " + relative + " found in " + Path.of("").toAbsolutePath()
            + " or any parent folder";
        System.err.println(reason);
        assumeTrue(false, reason);
        return List.of();
    }
}
