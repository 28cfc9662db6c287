package io.tokenmonitor.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a duration argument: a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}), or an ISO-8601 duration such as {@code PT1M30S}. Negative durations are
 * rejected.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses a duration argument.
     *
     * @throws TypeConversionException if the value is neither a number with a unit nor ISO-8601
     */
    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = NUMBER_WITH_UNIT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            Duration duration = Duration.parse(value.trim());
            if (duration.isNegative()) {
                throw new TypeConversionException("Invalid duration '" + value + "': it is negative");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("Invalid duration '" + value
                + "': expected a number with a unit (ms, s, m, h, d), for example 30s, or ISO-8601 like PT30S");
        }
    }
}
