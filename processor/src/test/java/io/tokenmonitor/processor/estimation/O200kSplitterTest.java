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
import org.junit.jupiter.api.Test;

/** Checks that {@link O200kSplitter} cuts texts into the same pieces as o200k_base's split pattern. */
class O200kSplitterTest {

    private static final Pattern O200K = OpenAiEncodings.splitPattern("o200k_base");
    private static final long SEED = 77_200_000L;

    /** Chars of every category the pattern tells apart, BMP and astral, paired and unpaired surrogates. */
    private static final String[] CATEGORY_SAMPLES = {
        "A", "Z", "Ω", "a", "z", "ß", "ǅ", "ʰ", "ー", "漢", "א", "\u0301", "\u0903", "\u20DD", "7", "٣", "Ⅻ", "½",
        " ", " ", " ", "\t", "\n", "\r", "\r\n", "\u00A0", "\u3000", "\u0085", "\u000B", "\f", "\u2028", "\u2029",
        "!", "/", "//", ".", "'", "'", "s", "t", "r", "e", "l", "v", "m", "d", "S", "T", "R", "E", "L", "ſ",
        "\uD800", "\uDC00", "\uD835\uDC00", "\uD835\uDC1A", "\uD840\uDC00", "\uD835\uDFCE", "\uD834\uDD65",
        "🚀", "\u200D", "\u0000", "_", "-", "$", "€", "İ", "ı"};

    @Test
    void shouldSplitSharedRequestsAsRegex() {
        Path data = sharedRequests();
        List<String> texts = ThroughputBenchmark.readTexts(data);

        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int index = i;

            assertEquals(regexPieces(text), splitterPieces(text), () -> "text " + index + " of " + data);
        }
        assertTrue(texts.size() > 800, "only " + texts.size() + " texts");
    }

    @Test
    void shouldSplitHostileTextsAsRegex() {
        for (Map.Entry<String, String> text : ExactTokenCounterParityTest.hostileTexts(new Random(SEED)).entrySet()) {
            assertEquals(regexPieces(text.getValue()), splitterPieces(text.getValue()),
                () -> "text " + text.getKey() + " (seed " + SEED + ")");
        }
    }

    @Test
    void shouldSplitCategoryMixesAsRegex() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder builder = new StringBuilder();
            int count = 1 + random.nextInt(24);
            for (int j = 0; j < count; j++) {
                builder.append(CATEGORY_SAMPLES[random.nextInt(CATEGORY_SAMPLES.length)]);
            }
            String text = builder.toString();

            assertEquals(regexPieces(text), splitterPieces(text),
                () -> "text " + escape(text) + " (seed " + SEED + ")");
        }
    }

    private static List<String> regexPieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = O200K.matcher(text);
        while (matcher.find()) {
            pieces.add(matcher.start() + ":" + matcher.end());
        }
        return pieces;
    }

    private static List<String> splitterPieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = O200kSplitter.INSTANCE.pieceEnd(text, start);
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
