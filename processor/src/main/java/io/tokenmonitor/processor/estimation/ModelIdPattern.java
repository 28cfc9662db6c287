package io.tokenmonitor.processor.estimation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model id pattern of the catalogue, such as {@code gpt-4o}, {@code gpt-4o*} or {@code meta-llama/*Llama-3*}.
 *
 * <p>{@code *} matches any run of characters, including none, and is the only wildcard. Matching ignores case.
 * The organisation prefix of an id or pattern is everything before its last {@code /}, and the model name is
 * the rest. A pattern without a prefix is matched against the id's model name, so {@code gpt-4o*} matches both
 * {@code gpt-4o-mini} and {@code openai/gpt-4o-2024-05-13}. A pattern with a prefix is matched against the
 * whole id when the id has a prefix, so a different organisation never matches it. When the id has no prefix,
 * the pattern's model name alone is matched, because clients often send bare names: {@code
 * Meta-Llama-3-70B-Instruct} matches {@code meta-llama/*Llama-3*}. The exception is a pattern whose model
 * name is only wildcards, such as {@code Qwen/*}: it matches ids of that organisation and no bare id, because
 * otherwise it would match every bare id.
 */
final class ModelIdPattern {

    private static final char WILDCARD = '*';

    private final String text;
    private final boolean hasOrganisation;
    private final List<String> wholeSegments;
    private final List<String> nameSegments;
    private final int literalNameLength;

    private ModelIdPattern(String text) {
        this.text = text;
        String lowerCase = text.toLowerCase(Locale.ROOT);
        int slash = lowerCase.lastIndexOf('/');
        this.hasOrganisation = slash >= 0;

        String name = lowerCase.substring(slash + 1);
        this.wholeSegments = splitOnWildcard(lowerCase);
        this.nameSegments = splitOnWildcard(name);
        this.literalNameLength = name.replace(String.valueOf(WILDCARD), "").length();
    }

    /**
     * Parses a catalogue pattern.
     *
     * @throws IllegalArgumentException if the pattern is blank, contains whitespace, or has an empty model name
     *     after its last {@code /}
     */
    static ModelIdPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("Invalid model pattern: it must not be empty");
        }
        if (pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("Invalid model pattern '" + pattern + "': it must not contain spaces");
        }
        if (pattern.endsWith("/")) {
            throw new IllegalArgumentException(
                "Invalid model pattern '" + pattern + "': a model name must follow the organisation prefix");
        }
        return new ModelIdPattern(pattern);
    }

    /** Returns the pattern as written in the catalogue. */
    String text() {
        return text;
    }

    /** Returns the pattern in lower case, the key under which a user entry overrides a shipped one. */
    String key() {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Returns whether the pattern has no wildcard, so it names one model. */
    boolean isExact() {
        return text.indexOf(WILDCARD) < 0;
    }

    boolean hasOrganisation() {
        return hasOrganisation;
    }

    /** Returns the number of characters other than {@code *} in the model name part, a measure of specificity. */
    int literalNameLength() {
        return literalNameLength;
    }

    /** Returns whether a model id matches this pattern under the rules in the class documentation. */
    boolean matches(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            return false;
        }
        String id = modelId.strip().toLowerCase(Locale.ROOT);
        int slash = id.lastIndexOf('/');
        boolean idHasOrganisation = slash >= 0;

        if (hasOrganisation && idHasOrganisation) {
            return globMatches(wholeSegments, id);
        }
        if (hasOrganisation && literalNameLength == 0) {
            return false;
        }
        return globMatches(nameSegments, id.substring(slash + 1));
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Splits a lower-case pattern at each {@code *}. The first element must be a prefix of a matching text and
     * the last a suffix. Elements in between must occur in order. A pattern without a wildcard gives one element.
     */
    private static List<String> splitOnWildcard(String pattern) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == WILDCARD) {
                segments.add(pattern.substring(start, i));
                start = i + 1;
            }
        }
        segments.add(pattern.substring(start));
        return List.copyOf(segments);
    }

    /**
     * Matches a text against wildcard-separated segments. Taking the leftmost occurrence of each middle segment
     * is enough, because {@code *} is the only wildcard: any later match would leave less room for the rest.
     */
    private static boolean globMatches(List<String> segments, String text) {
        if (segments.size() == 1) {
            return text.equals(segments.get(0));
        }

        String first = segments.get(0);
        String last = segments.get(segments.size() - 1);
        if (text.length() < first.length() + last.length() || !text.startsWith(first) || !text.endsWith(last)) {
            return false;
        }

        int position = first.length();
        int end = text.length() - last.length();
        for (int i = 1; i < segments.size() - 1; i++) {
            int found = text.indexOf(segments.get(i), position);
            if (found < 0 || found + segments.get(i).length() > end) {
                return false;
            }
            position = found + segments.get(i).length();
        }
        return true;
    }
}
