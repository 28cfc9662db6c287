package io.tokenmonitor.processor.estimation;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Integer cost arithmetic in micro-dollars (millionths of a US dollar). Nothing here uses floating point, so
 * summing the costs of many requests never drifts.
 */
public final class Cost {

    /** Micro-dollars per dollar, and also tokens per "per million tokens" price unit. */
    static final long ONE_MILLION = 1_000_000L;

    private static final int DOLLAR_SCALE = 6;
    private static final BigInteger ONE_MILLION_BIG = BigInteger.valueOf(ONE_MILLION);
    private static final BigInteger HALF_MILLION_BIG = BigInteger.valueOf(ONE_MILLION / 2);

    private Cost() {
    }

    /**
     * Computes the cost of one request in micro-dollars: {@code (inputTokens * inputPrice + outputTokens *
     * outputPrice) / 1_000_000}, rounded half up to a whole micro-dollar. Rounding happens once, on the sum, so
     * an input part of 0.4 and an output part of 0.4 micro-dollars cost 1, not 0.
     *
     * @throws IllegalArgumentException if a token count is negative
     * @throws ArithmeticException if the cost exceeds {@link Long#MAX_VALUE} micro-dollars (about 9.2 million
     *     million dollars); products of counts and prices beyond the {@code long} range are computed exactly
     */
    public static long costMicros(long inputTokens, long outputTokens, Price price) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("Invalid token counts: input " + inputTokens + " and output "
                + outputTokens + " must not be negative");
        }

        try {
            long scaled = Math.addExact(
                Math.multiplyExact(inputTokens, price.inputMicrosPerMillionTokens()),
                Math.multiplyExact(outputTokens, price.outputMicrosPerMillionTokens()));
            // Both terms are non-negative, so adding half a million and truncating rounds half up.
            return Math.addExact(scaled, ONE_MILLION / 2) / ONE_MILLION;
        } catch (ArithmeticException overflow) {
            // A product or the sum left the long range, which is rare enough to pay for BigInteger.
            return costMicrosExact(inputTokens, outputTokens, price);
        }
    }

    /** Converts micro-dollars to dollars with exactly six decimal places, for example 1_500 to 0.001500. */
    public static BigDecimal toDollars(long micros) {
        return BigDecimal.valueOf(micros, DOLLAR_SCALE);
    }

    /** Formats micro-dollars as a plain dollar amount with six decimal places, for example "12.345678". */
    public static String formatDollars(long micros) {
        return toDollars(micros).toPlainString();
    }

    private static long costMicrosExact(long inputTokens, long outputTokens, Price price) {
        BigInteger scaled = BigInteger.valueOf(inputTokens)
            .multiply(BigInteger.valueOf(price.inputMicrosPerMillionTokens()))
            .add(BigInteger.valueOf(outputTokens).multiply(BigInteger.valueOf(price.outputMicrosPerMillionTokens())));
        return scaled.add(HALF_MILLION_BIG).divide(ONE_MILLION_BIG).longValueExact();
    }
}
