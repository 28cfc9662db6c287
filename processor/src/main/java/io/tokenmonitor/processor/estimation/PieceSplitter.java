package io.tokenmonitor.processor.estimation;

/** A pre-tokenizer written without {@link java.util.regex}, which cuts a text into contiguous pieces. */
interface PieceSplitter {

    /**
     * Returns the end (exclusive) of the piece that starts at {@code start}, which is less than the text's
     * length. The end is greater than {@code start}, or -1 if no piece starts there.
     */
    int pieceEnd(String text, int start);
}
