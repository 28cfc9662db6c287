package io.tokenmonitor.agent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a point-in-time argument: an ISO-8601 instant ({@code 2025-09-01T12:00:00Z}), a date-time
 * with an offset ({@code 2025-09-01T14:00:00+02:00}), or a date ({@code 2025-09-01}), which means the
 * start of that day in UTC.
 */
public final class InstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        return parse(value);
    }

    /**
     * Parses a point-in-time argument.
     *
     * @throws TypeConversionException if the value is not an instant, offset date-time or date
     */
    public static Instant parse(String value) {
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new TypeConversionException("Invalid time '" + value
                    + "': expected an ISO-8601 instant like 2025-09-01T12:00:00Z, an offset date-time "
                    + "like 2025-09-01T14:00:00+02:00, or a date like 2025-09-01 (midnight UTC)");
            }
        }
    }
}
