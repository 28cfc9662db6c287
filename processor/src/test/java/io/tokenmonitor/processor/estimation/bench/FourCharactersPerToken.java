package io.tokenmonitor.processor.estimation.bench;

import io.tokenmonitor.processor.estimation.TokenCounter;

/** The baseline estimate, {@code ceil(codePoints / 4)}: the same formula as {@code UsageEstimator} uses today. */
final class FourCharactersPerToken implements TokenCounter {

    @Override
    public long count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long codePoints = text.codePointCount(0, text.length());
        return (codePoints + 3) / 4;
    }
}
