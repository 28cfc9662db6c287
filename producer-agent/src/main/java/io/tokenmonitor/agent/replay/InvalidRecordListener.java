package io.tokenmonitor.agent.replay;

/** Receives each input record that a reader skips because it is invalid. */
@FunctionalInterface
public interface InvalidRecordListener {

    /**
     * Called once per skipped record.
     *
     * @param location where the record is, for example {@code line 12}
     * @param reason why it was skipped, for example {@code missing model}
     */
    void onInvalidRecord(String location, String reason);

    /** Returns a listener that ignores every record. */
    static InvalidRecordListener ignore() {
        return (location, reason) -> { };
    }
}
