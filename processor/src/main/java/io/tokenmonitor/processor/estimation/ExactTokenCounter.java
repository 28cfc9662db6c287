package io.tokenmonitor.processor.estimation;

import java.util.Objects;

/**
 * Counts tokens exactly with a model's own byte-pair encoding. The counts equal jtokkit 1.1.0's
 * {@code Encoding.countTokensOrdinary} for the same encoding. The tests check this on the shared request texts
 * and on generated hostile texts. Thread-safe. Obtain instances from {@link ExactTokenizers}.
 *
 * <p>Special-token strings in the text, such as {@code <|endoftext|>}, are counted as ordinary text, the way a
 * provider tokenizes them inside a user's message.
 */
public final class ExactTokenCounter implements TokenCounter {

    private final String encodingName;
    private final BytePairCounter counter;

    ExactTokenCounter(String encodingName, BytePairCounter counter) {
        this.encodingName = Objects.requireNonNull(encodingName, "encodingName");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    @Override
    public long count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return counter.count(text);
    }

    /** Returns the name of the encoding, such as {@code o200k_base} or {@code llama3}. */
    public String encodingName() {
        return encodingName;
    }

    @Override
    public String toString() {
        return "ExactTokenCounter[" + encodingName + "]";
    }
}
