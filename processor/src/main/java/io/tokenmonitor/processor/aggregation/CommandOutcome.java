package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.processor.validation.RejectionReason;

/**
 * The outcome of applying a plan or a reset: the period update it caused (null when it changed no
 * totals), or the reason it was rejected together with its original value bytes. Lives only between
 * processors of the topology and is never serialized.
 */
public record CommandOutcome(PeriodUpdate update, RejectionReason rejection, byte[] originalValue) {

    public static CommandOutcome applied(PeriodUpdate update) {
        return new CommandOutcome(update, null, null);
    }

    public static CommandOutcome rejected(RejectionReason reason, byte[] originalValue) {
        return new CommandOutcome(null, reason, originalValue);
    }

    public boolean isRejected() {
        return rejection != null;
    }

    public boolean hasUpdate() {
        return update != null;
    }
}
