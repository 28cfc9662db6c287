package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Reads and validates query parameters. Each method throws {@link BadRequestException} naming the parameter
 * when its value is invalid, so the API returns 400.
 */
final class QueryParameters {

    private QueryParameters() {
    }

    /** Returns a whole number from {@code min} to {@code max}, or {@code defaultValue} when absent. */
    static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return defaultValue;
        }
        return (int) parseWholeNumber(name, text, min, max);
    }

    /** Returns a required whole number from {@code min} to {@code max}. */
    static long requiredLongParam(Context ctx, String name, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            throw new BadRequestException(name, "Missing " + name + ": expected a whole number from " + min
                + " to " + max);
        }
        return parseWholeNumber(name, text, min, max);
    }

    /** Returns an ISO-8601 instant such as {@code 2026-03-20T08:00:00Z}, or null when the parameter is absent. */
    static Instant instantParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "Invalid " + name + " '" + text
                + "': expected an ISO-8601 instant in UTC such as 2026-03-20T08:00:00Z");
        }
    }

    /** Returns one of {@code allowed}, or {@code defaultValue} when the parameter is absent. */
    static String choiceParam(Context ctx, String name, String defaultValue, Set<String> allowed) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return defaultValue;
        }
        if (!allowed.contains(text)) {
            throw new BadRequestException(name, "Invalid " + name + " '" + text + "': expected one of "
                + allowed.stream().sorted().toList());
        }
        return text;
    }

    /** Returns text of at most {@code maxLength} characters without control characters, or null when absent. */
    static String textParam(Context ctx, String name, int maxLength) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        if (text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException(name, "Invalid " + name + ": expected at most " + maxLength
                + " characters without control characters");
        }
        return text;
    }

    private static long parseWholeNumber(String name, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw outOfRange(name, text, min, max);
        }
        if (value < min || value > max) {
            throw outOfRange(name, text, min, max);
        }
        return value;
    }

    private static BadRequestException outOfRange(String name, String text, long min, long max) {
        return new BadRequestException(name, "Invalid " + name + " '" + text + "': expected a whole number from "
            + min + " to " + max);
    }
}
