package io.tokenmonitor.processor.validation;

import io.tokenmonitor.schema.TokenRequest;

/**
 * The outcome of validating one input record: the decoded request, or the reason it was rejected together
 * with its original value bytes. Lives only between two processors of the topology and is never serialized.
 */
public record ValidatedRequest(TokenRequest request, RejectionReason rejection, byte[] originalValue) {

    public static ValidatedRequest accepted(TokenRequest request) {
        return new ValidatedRequest(request, null, null);
    }

    public static ValidatedRequest rejected(RejectionReason reason, byte[] originalValue) {
        return new ValidatedRequest(null, reason, originalValue);
    }

    public boolean isAccepted() {
        return rejection == null;
    }
}
