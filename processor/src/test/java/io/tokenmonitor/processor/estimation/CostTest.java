package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected costs below were worked out by hand in dollars and then converted to micro-dollars. */
class CostTest {

    private static final Price GPT_4O = new Price(2_500_000, 10_000_000);

    @Test
    void shouldPriceInputAndOutputSeparately() {
        // 1,234 x $2.50 / 1M = $0.003085 and 567 x $10 / 1M = $0.005670, so $0.008755.
        assertEquals(8_755, Cost.costMicros(1_234, 567, GPT_4O));
    }

    @ParameterizedTest(name = "{0} input tokens at {1} micro-dollars per million cost {2}")
    @CsvSource({
        "1, 500000, 1",
        "1, 499999, 0",
        "1, 1500000, 2",
        "3, 500000, 2",
        "1, 1, 0",
        "999999, 1, 1",
    })
    void shouldRoundHalfUp(long inputTokens, long inputPrice, long expectedMicros) {
        assertEquals(expectedMicros, Cost.costMicros(inputTokens, 0, new Price(inputPrice, 0)));
    }

    @Test
    void shouldRoundTheSumOnce() {
        // 0.4 + 0.4 = 0.8 micro-dollars rounds to 1, while rounding each part first would give 0.
        assertEquals(1, Cost.costMicros(1, 1, new Price(400_000, 400_000)));
    }

    @Test
    void shouldCostNothingForZeroTokens() {
        assertEquals(0, Cost.costMicros(0, 0, GPT_4O));
    }

    @Test
    void shouldCostNothingAtZeroPrice() {
        assertEquals(0, Cost.costMicros(1_000_000, 1_000_000, new Price(0, 0)));
    }

    @Test
    void shouldComputeHugeCountsExactly() {
        // 10^15 tokens x $60 per million = $6 x 10^10 = 6 x 10^16 micro-dollars. The product 6 x 10^22
        // does not fit in a long.
        Price o1Output = new Price(0, 60_000_000);

        assertEquals(60_000_000_000_000_000L, Cost.costMicros(0, 1_000_000_000_000_000L, o1Output));
    }

    @Test
    void shouldRoundHalfUpBeyondLongRange() {
        // (2 x 10^13 + 1) x 0.5 micro-dollars = 10^13 + 0.5, which rounds to 10^13 + 1. The scaled product
        // 10^19 + 500,000 does not fit in a long.
        Price halfMicroPerToken = new Price(500_000, 0);

        assertEquals(10_000_000_000_001L, Cost.costMicros(20_000_000_000_001L, 0, halfMicroPerToken));
    }

    @Test
    void shouldRejectCostBeyondLongRange() {
        assertThrows(ArithmeticException.class, () -> Cost.costMicros(Long.MAX_VALUE, Long.MAX_VALUE, GPT_4O));
    }

    @Test
    void shouldRejectNegativeTokenCounts() {
        assertThrows(IllegalArgumentException.class, () -> Cost.costMicros(-1, 0, GPT_4O));
        assertThrows(IllegalArgumentException.class, () -> Cost.costMicros(0, -1, GPT_4O));
    }

    @Test
    void shouldRejectNegativePrices() {
        assertThrows(IllegalArgumentException.class, () -> new Price(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Price(0, -1));
    }

    @ParameterizedTest(name = "{0} micro-dollars format as {1}")
    @CsvSource({
        "0, 0.000000",
        "1, 0.000001",
        "8755, 0.008755",
        "1000000, 1.000000",
        "12345678, 12.345678",
        "9223372036854775807, 9223372036854.775807",
    })
    void shouldFormatMicrosAsDollars(long micros, String expected) {
        assertEquals(expected, Cost.formatDollars(micros));
    }

    @Test
    void shouldKeepSixDecimalsInDollars() {
        BigDecimal dollars = Cost.toDollars(1_500);

        assertEquals(new BigDecimal("0.001500"), dollars);
        assertEquals(6, dollars.scale());
    }
}
