package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.estimation.bench.ThroughputBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that {@link O200kSplitter} and {@link Cl100kSplitter} cut texts into the same pieces as the split
 * patterns of o200k_base and cl100k_base.
 */
class PieceSplitterTest {

    private static final Map<String, PieceSplitter> SPLITTERS = Map.of(
        "o200k_base", O200kSplitter.INSTANCE,
        "cl100k_base", Cl100kSplitter.INSTANCE);
    private static final long SEED = 77_200_000L;

    /** Chars of every category that the patterns distinguish, BMP and astral, paired and unpaired surrogates. */
    private static final String[] CATEGORY_SAMPLES = {
        "A", "Z", "Ω", "a", "z", "ß", "ǅ", "ʰ", "ー", "漢", "א", "\u0301", "\u0903", "\u20DD", "7", "٣", "Ⅻ", "½",
        " ", " ", " ", "\t", "\n", "\r", "\r\n", "\u00A0", "\u3000", "\u0085", "\u000B", "\f", "\u2028", "\u2029",
        "!", "/", "//", ".", "'", "'", "s", "t", "r", "e", "l", "v", "m", "d", "S", "T", "R", "E", "L", "ſ",
        "\uD800", "\uDC00", "\uD835\uDC00", "\uD835\uDC1A", "\uD840\uDC00", "\uD835\uDFCE", "\uD834\uDD65",
        "🚀", "\u200D", "\u0000", "_", "-", "$", "€", "İ", "ı"};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void shouldSplitSharedRequestsAsRegex(String encoding) {
        Pattern pattern = OpenAiEncodings.splitPattern(encoding);
        PieceSplitter splitter = SPLITTERS.get(encoding);
        Path data = sharedRequests();
        List<String> texts = ThroughputBenchmark.readTexts(data);

        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int index = i;

            assertEquals(regexPieces(pattern, text), splitterPieces(splitter, text),
                () -> "text " + index + " of " + data + " in " + encoding);
        }
        assertTrue(texts.size() > 800, "only " + texts.size() + " texts");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void shouldSplitHostileTextsAsRegex(String encoding) {
        Pattern pattern = OpenAiEncodings.splitPattern(encoding);
        PieceSplitter splitter = SPLITTERS.get(encoding);
        for (Map.Entry<String, String> text : ExactTokenCounterParityTest.hostileTexts(new Random(SEED)).entrySet()) {
            assertEquals(regexPieces(pattern, text.getValue()), splitterPieces(splitter, text.getValue()),
                () -> "text " + text.getKey() + " (seed " + SEED + ") in " + encoding);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void shouldSplitCategoryMixesAsRegex(String encoding) {
        Pattern pattern = OpenAiEncodings.splitPattern(encoding);
        PieceSplitter splitter = SPLITTERS.get(encoding);
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder builder = new StringBuilder();
            int count = 1 + random.nextInt(24);
            for (int j = 0; j < count; j++) {
                builder.append(CATEGORY_SAMPLES[random.nextInt(CATEGORY_SAMPLES.length)]);
            }
            String text = builder.toString();

            assertEquals(regexPieces(pattern, text), splitterPieces(splitter, text),
                () -> "text " + escape(text) + " (seed " + SEED + ") in " + encoding);
        }
    }

    private static List<String> regexPieces(Pattern pattern, String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            pieces.add(matcher.start() + ":" + matcher.end());
        }
        return pieces;
    }

    private static List<String> splitterPieces(PieceSplitter splitter, String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = splitter.pieceEnd(text, start);
            if (end < 0) {
                start++;
                continue;
            }
            pieces.add(start + ":" + end);
            start = end;
        }
        return pieces;
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            escaped.append(String.format("\\u%04X", (int) text.charAt(i)));
        }
        return escaped.toString();
    }

    private static Path sharedRequests() {
        Path relative = Path.of("shared", "data", "llm-requests");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, "Skipped: no folder " + relative + " found");
        return null;
    }
}
