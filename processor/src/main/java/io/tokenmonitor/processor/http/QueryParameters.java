package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    /**
     * Rejects a request whose path or query string is not valid percent-encoded UTF-8, such as {@code ?limit=%ZZ}
     * or {@code /users/%C3%28}. Jetty rejects some of these itself, but decodes others leniently, and a lenient
     * decoder would turn them into a default value or a different user id.
     *
     * @throws BadRequestException (400) naming the part of the URL at fault
     */
    static void requireValidEncoding(Context ctx) {
        requireValidEncoding(ctx.req().getRequestURI(), "path");
        requireValidEncoding(ctx.queryString(), "query string");
    }

    static void requireValidEncoding(String encoded, String part) {
        if (encoded == null || encoded.indexOf('%') < 0) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw new BadRequestException(null, "Invalid percent-encoding in the " + part
                    + ": expected % followed by two hex digits, as in %2F");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()));
        } catch (CharacterCodingException e) {
            throw new BadRequestException(null, "Invalid percent-encoding in the " + part
                + ": the bytes are not UTF-8; encode each character as its UTF-8 bytes");
        }
    }

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
