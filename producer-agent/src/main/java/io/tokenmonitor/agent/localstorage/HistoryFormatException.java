package io.tokenmonitor.agent.localstorage;

/** The file is not JSON, or is neither a JSON array of entries nor an object with a {@code tokenUsage} key. */
public final class HistoryFormatException extends Exception {

    public HistoryFormatException(String message) {
        super(message);
    }

    public HistoryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
