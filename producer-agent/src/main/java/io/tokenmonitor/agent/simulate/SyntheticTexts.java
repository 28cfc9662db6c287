package io.tokenmonitor.agent.simulate;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates filler English-like text from a fixed vocabulary. Lengths are log-uniform, so most texts are
 * short and a few are long: prompts of {@value #MIN_PROMPT_CHARS} to {@value #MAX_PROMPT_CHARS}
 * characters, completions of {@value #MIN_COMPLETION_CHARS} to {@value #MAX_COMPLETION_CHARS}. The
 * completion range averages about 1.7 kB, near the 1.1 to 1.9 kB of real chat completions. The long prompts
 * model requests that carry a whole web page.
 */
public final class SyntheticTexts implements TextSource {

    public static final int MIN_PROMPT_CHARS = 40;
    public static final int MAX_PROMPT_CHARS = 4000;
    public static final int MIN_COMPLETION_CHARS = 200;
    public static final int MAX_COMPLETION_CHARS = 6000;

    private static final List<String> WORDS = List.of(
        "the", "a", "page", "layout", "button", "header", "section", "color", "grid", "responsive", "user",
        "model", "request", "answer", "token", "style", "server", "query", "table", "list", "image", "link",
        "form", "input", "value", "update", "create", "render", "show", "hide", "with", "and", "for", "to",
        "of", "in", "on", "from", "each", "new", "dark", "light", "mode", "card", "footer", "menu", "text",
        "font", "size", "margin", "padding", "center", "left", "right", "event", "click", "data", "fetch",
        "error", "message", "simple", "clean", "modern", "please", "make", "add", "change", "keep");

    private static final int MIN_WORDS_PER_SENTENCE = 6;
    private static final int MAX_WORDS_PER_SENTENCE = 18;

    @Override
    public TextPair next(RandomGenerator random) {
        String prompt = text(random, logUniform(random, MIN_PROMPT_CHARS, MAX_PROMPT_CHARS));
        String completion = text(random, logUniform(random, MIN_COMPLETION_CHARS, MAX_COMPLETION_CHARS));
        return new TextPair(prompt, completion);
    }

    /** Returns text of sentences built from the vocabulary, exactly {@code length} characters long. */
    static String text(RandomGenerator random, int length) {
        StringBuilder text = new StringBuilder(length + MAX_WORDS_PER_SENTENCE * 12);
        while (text.length() < length) {
            int words = random.nextInt(MIN_WORDS_PER_SENTENCE, MAX_WORDS_PER_SENTENCE + 1);
            for (int i = 0; i < words; i++) {
                String word = WORDS.get(random.nextInt(WORDS.size()));
                if (i == 0) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                }
                text.append(word).append(i == words - 1 ? ". " : " ");
            }
        }
        text.setLength(length);
        return text.toString();
    }

    /** Draws an integer whose logarithm is uniform over [log min, log max]. */
    static int logUniform(RandomGenerator random, int min, int max) {
        double exponent = random.nextDouble(Math.log(min), Math.log(max));
        return (int) Math.round(Math.exp(exponent));
    }
}
