package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

    @Test
    void durationShouldAcceptUnitsAndIso() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse("2h"));
        assertEquals(Duration.ofDays(1), DurationConverter.parse("1d"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("PT1M30S"));
    }

    @Test
    void durationShouldRejectInvalidText() {
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("30"));
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("5 minutes"));
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("PT-5S"));
    }

    @Test
    void instantShouldAcceptInstantOffsetAndDate() {
        Instant expected = Instant.parse("2025-09-01T00:00:00Z");

        assertEquals(expected, InstantConverter.parse("2025-09-01T00:00:00Z"));
        assertEquals(expected, InstantConverter.parse("2025-09-01T02:00:00+02:00"));
        assertEquals(expected, InstantConverter.parse("2025-09-01"));
    }

    @Test
    void instantShouldRejectTimeWithoutZone() {
        assertThrows(TypeConversionException.class, () -> InstantConverter.parse("2025-09-01T10:00:00"));
        assertThrows(TypeConversionException.class, () -> InstantConverter.parse("yesterday"));
    }
}
