package io.tokenmonitor.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Typed access to the optional fields of one JSON input object. */
final class JsonFields {

    /** A field has the wrong type or an unparseable value; the record is skipped. */
    static final class InvalidFieldException extends Exception {
        InvalidFieldException(String message) {
            super(message);
        }
    }

    private final JsonNode object;

    JsonFields(JsonNode object) {
        this.object = object;
    }

    /** Returns a string field, or null when it is missing or JSON null. */
    String text(String name) throws InvalidFieldException {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFieldException(name + " is a " + value.getNodeType().name().toLowerCase()
                + ", expected a string");
        }
        return value.textValue();
    }

    /** Returns an integer field, or null when it is missing or JSON null. */
    Long integer(String name) throws InvalidFieldException {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidFieldException(name + " is " + value + ", expected an integer");
        }
        return value.longValue();
    }

    /**
     * Returns a time field given as epoch milliseconds (a number or a string of digits) or as an ISO-8601
     * date-time with an offset, or null when it is missing or JSON null.
     */
    Instant instant(String name) throws InvalidFieldException {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        if (value.isTextual()) {
            String text = value.textValue().trim();
            if (text.matches("-?\\d{1,18}")) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException(name + " '" + text
                    + "' is not an ISO-8601 date-time with an offset, such as 2025-09-01T12:00:00Z");
            }
        }
        throw new InvalidFieldException(name + " is " + value
            + ", expected epoch milliseconds or an ISO-8601 date-time string");
    }
}
