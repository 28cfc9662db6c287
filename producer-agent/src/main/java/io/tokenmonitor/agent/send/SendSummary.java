package io.tokenmonitor.agent.send;

/**
 * The outcome of a send run.
 *
 * @param sent records acknowledged by the broker
 * @param failed records whose send failed
 * @param skipped input records skipped because they were invalid
 * @param outcome why the run ended
 * @param error what went wrong when the outcome is {@link Outcome#SEND_FAILED} or
 *     {@link Outcome#INPUT_FAILED}, otherwise null
 */
public record SendSummary(long sent, long failed, long skipped, Outcome outcome, String error) {

    /** Reason a send run ended. */
    public enum Outcome {
        /** The source was exhausted. */
        COMPLETED,
        /** A stop was requested, for example by Ctrl-C. */
        STOPPED,
        /** A send failed in a way that later records would repeat, such as a timeout. */
        SEND_FAILED,
        /** The input could not be read further, for example because of a JSON syntax error. */
        INPUT_FAILED
    }

    /** Returns whether every record was sent and the run ended without an error. */
    public boolean isSuccess() {
        return failed == 0 && (outcome == Outcome.COMPLETED || outcome == Outcome.STOPPED);
    }

    /** Formats the summary line printed at the end of a run, for example {@code sent=805 failed=0 skipped=0}. */
    public String toLine() {
        return "sent=" + sent + " failed=" + failed + " skipped=" + skipped;
    }
}
