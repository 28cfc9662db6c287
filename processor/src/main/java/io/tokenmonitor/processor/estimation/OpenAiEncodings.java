package io.tokenmonitor.processor.estimation;

import com.knuddels.jtokkit.Encodings;
import io.tokenmonitor.processor.estimation.BytePairCounter.LoneSurrogates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The OpenAI encodings that jtokkit 1.1.0 ships: their split patterns and the ranks files inside jtokkit's jar.
 * The patterns are tiktoken's, written as jtokkit 1.1.0 compiles them, with
 * {@link Pattern#UNICODE_CHARACTER_CLASS}. cl100k_base and o200k_base are split by hand-written splitters that
 * return the same pieces, because the regex took most of the counting time.
 */
final class OpenAiEncodings {

    private static final String R50K_AND_P50K_PATTERN =
        "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final String CL100K_PATTERN = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}"
        + "| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

    private static final String O200K_PATTERN = String.join("|",
        "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
            + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
            + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        "\\p{N}{1,3}",
        " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
        "\\s*[\\r\\n]+",
        "\\s+(?!\\S)",
        "\\s+");

    /**
     * One encoding. jtokkit 1.1.0 splits cl100k_base text with a hand-written parser that encodes an unpaired
     * surrogate as three bytes, and the other encodings with {@code String.getBytes}, which writes {@code '?'}.
     */
    private record Definition(String ranksFile, String splitPattern, LoneSurrogates loneSurrogates,
        Optional<PieceSplitter> splitter) {
    }

    private static final Map<String, Definition> DEFINITIONS = Map.of(
        "r50k_base", new Definition("r50k_base.tiktoken", R50K_AND_P50K_PATTERN, LoneSurrogates.QUESTION_MARK,
            Optional.empty()),
        "p50k_base", new Definition("p50k_base.tiktoken", R50K_AND_P50K_PATTERN, LoneSurrogates.QUESTION_MARK,
            Optional.empty()),
        "p50k_edit", new Definition("p50k_base.tiktoken", R50K_AND_P50K_PATTERN, LoneSurrogates.QUESTION_MARK,
            Optional.empty()),
        "cl100k_base", new Definition("cl100k_base.tiktoken", CL100K_PATTERN, LoneSurrogates.THREE_BYTES,
            Optional.of(Cl100kSplitter.INSTANCE)),
        "o200k_base", new Definition("o200k_base.tiktoken", O200K_PATTERN, LoneSurrogates.QUESTION_MARK,
            Optional.of(O200kSplitter.INSTANCE)));

    private OpenAiEncodings() {
    }

    /**
     * Loads the counter of an OpenAI encoding from jtokkit's jar, which takes a noticeable fraction of a second.
     * Returns empty for any other name.
     *
     * @throws UncheckedIOException if the ranks file cannot be read
     * @throws IllegalStateException if the ranks file is missing from the class path
     */
    static Optional<BytePairCounter> load(String name) {
        Definition definition = DEFINITIONS.get(name);
        if (definition == null) {
            return Optional.empty();
        }
        RankTable ranks = RankTable.of(readRanks(definition.ranksFile()));
        if (definition.splitter().isPresent()) {
            return Optional.of(new BytePairCounter(definition.splitter().get(), ranks, definition.loneSurrogates()));
        }
        return Optional.of(new BytePairCounter(splitPattern(name), ranks, definition.loneSurrogates()));
    }

    /**
     * Returns the split pattern of an OpenAI encoding, compiled as jtokkit 1.1.0 compiles it.
     *
     * @throws IllegalArgumentException if the name is not an OpenAI encoding
     */
    static Pattern splitPattern(String name) {
        Definition definition = DEFINITIONS.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("Unknown OpenAI encoding '" + name + "'");
        }
        return Pattern.compile(definition.splitPattern(), Pattern.UNICODE_CHARACTER_CLASS);
    }

    private static Map<byte[], Integer> readRanks(String fileName) {
        String resource = "/com/knuddels/jtokkit/" + fileName;
        try (InputStream stream = Encodings.class.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("Ranks file " + resource + " not found on the class path;"
                    + " check that the jtokkit 1.1.0 jar is on it");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            return TiktokenRanks.read(reader, resource, OptionalInt.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read ranks file " + resource, e);
        }
    }
}
