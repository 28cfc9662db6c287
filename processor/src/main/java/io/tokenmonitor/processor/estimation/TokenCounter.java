package io.tokenmonitor.processor.estimation;

/**
 * Counts or estimates the tokens of a text for one model. Implementations are thread-safe.
 */
public interface TokenCounter {

    /** Returns the number of tokens of a text; 0 for a null or empty text. */
    long count(String text);
}
