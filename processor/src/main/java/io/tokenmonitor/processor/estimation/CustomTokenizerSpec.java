package io.tokenmonitor.processor.estimation;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What it takes to register a tiktoken-format tokenizer file as a custom exact tokenizer.
 *
 * @param name the tokenizer name that catalogue entries refer to, for example {@code llama3}
 * @param fileName the ranks file inside the configured tokenizer directory, for example {@code llama3.tiktoken}.
 *     Each line contains a base64-encoded token and its rank, separated by one space.
 * @param splitPattern the pre-tokenizer regular expression that splits text into pieces before byte-pair
 *     merging, compiled with {@link Pattern#UNICODE_CHARACTER_CLASS} as jtokkit compiles its own
 * @param regularTokenCount the number of lines the ranks file must have, or empty to accept any number
 * @param specialTokens special token strings and their ids; jtokkit 1.1.0 requires each to contain
 *     {@code <|} and {@code |>}. Counting treats them as ordinary text, so they only matter for decoding.
 */
public record CustomTokenizerSpec(
    String name,
    String fileName,
    String splitPattern,
    OptionalInt regularTokenCount,
    Map<String, Integer> specialTokens
) {

    /**
     * Validates the spec.
     *
     * @throws IllegalArgumentException if the name is missing or is an OpenAI encoding's, the file name is not a
     *     plain file name, the pattern does not compile, the count is not positive, or a special token is invalid
     */
    public CustomTokenizerSpec {
        Objects.requireNonNull(regularTokenCount, "regularTokenCount");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Invalid custom tokenizer: name is missing");
        }
        if (EncodingType.fromName(name).isPresent()) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name
                + "': the name belongs to a built-in OpenAI encoding; choose another name");
        }
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")
            || fileName.equals(".") || fileName.equals("..")) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name + "': file '" + fileName
                + "' must be a plain file name inside the tokenizer directory");
        }
        compileSplitPattern(name, splitPattern);
        if (regularTokenCount.isPresent() && regularTokenCount.getAsInt() <= 0) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name
                + "': regularTokenCount must be positive, got " + regularTokenCount.getAsInt());
        }

        specialTokens = Map.copyOf(specialTokens == null ? Map.of() : specialTokens);
        specialTokens.forEach((token, id) -> validateSpecialToken(name, token, id));
    }

    /** Compiles the split pattern with the flags jtokkit uses for its own encodings. */
    Pattern compiledSplitPattern() {
        return compileSplitPattern(name, splitPattern);
    }

    private static Pattern compileSplitPattern(String name, String splitPattern) {
        if (splitPattern == null || splitPattern.isEmpty()) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name + "': splitPattern is missing");
        }
        try {
            return Pattern.compile(splitPattern, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                "Invalid custom tokenizer '" + name + "': splitPattern does not compile: " + e.getMessage(), e);
        }
    }

    private static void validateSpecialToken(String name, String token, Integer id) {
        if (token == null || !token.contains("<|") || !token.contains("|>")) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name + "': special token '" + token
                + "' must contain '<|' and '|>', as jtokkit 1.1.0 requires");
        }
        if (id == null || id < 0) {
            throw new IllegalArgumentException("Invalid custom tokenizer '" + name + "': special token '" + token
                + "' needs a non-negative id, got " + id);
        }
    }
}
