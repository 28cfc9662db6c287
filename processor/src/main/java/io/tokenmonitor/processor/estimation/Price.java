package io.tokenmonitor.processor.estimation;

/**
 * A provider's list price for one model, in integer micro-dollars (millionths of a US dollar) per million
 * tokens, so $2.50 per million input tokens is {@code inputMicrosPerMillionTokens = 2_500_000}.
 */
public record Price(long inputMicrosPerMillionTokens, long outputMicrosPerMillionTokens) {

    /** Rejects negative prices, which no provider publishes and which would turn a cost into a credit. */
    public Price {
        if (inputMicrosPerMillionTokens < 0 || outputMicrosPerMillionTokens < 0) {
            throw new IllegalArgumentException("Invalid price: input " + inputMicrosPerMillionTokens
                + " and output " + outputMicrosPerMillionTokens
                + " micro-dollars per million tokens must not be negative");
        }
    }
}
