package io.tokenmonitor.processor.validation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.schema.TokenRequest;

/**
 * The outcome of validating one input record: the decoded request and the billing period it counts in,
 * or the reason it was rejected together with its original value bytes. Lives only between two
 * processors of the topology and is never serialized.
 */
public record ValidatedRequest(TokenRequest request, BillingPeriod period, RejectionReason rejection,
                               byte[] originalValue) {

    public static ValidatedRequest accepted(TokenRequest request, BillingPeriod period) {
        return new ValidatedRequest(request, period, null, null);
    }

    public static ValidatedRequest rejected(RejectionReason reason, byte[] originalValue) {
        return new ValidatedRequest(null, null, reason, originalValue);
    }

    public boolean isAccepted() {
        return rejection == null;
    }
}
