package io.tokenmonitor.processor.estimation;

import com.knuddels.jtokkit.api.Encoding;
import java.util.Objects;

/**
 * Counts tokens exactly with a model's own byte-pair encoding, through jtokkit. Thread-safe, because counting in
 * jtokkit 1.1.0 touches no shared mutable state (its decoding does, and this class never decodes). Obtain
 * instances from {@link ExactTokenizers}.
 *
 * <p>Special-token strings in the text, such as {@code <|endoftext|>}, are counted as ordinary text, the way a
 * provider tokenizes them inside a user's message. jtokkit's {@code countTokens} would reject such text.
 */
public final class ExactTokenCounter implements TokenCounter {

    private final Encoding encoding;

    ExactTokenCounter(Encoding encoding) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public long count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding.countTokensOrdinary(text);
    }

    /** Returns the name of the encoding, such as {@code o200k_base} or {@code llama3}. */
    public String encodingName() {
        return encoding.getName();
    }

    @Override
    public String toString() {
        return "ExactTokenCounter[" + encoding.getName() + "]";
    }
}
