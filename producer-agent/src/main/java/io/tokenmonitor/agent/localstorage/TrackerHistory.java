package io.tokenmonitor.agent.localstorage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.TextOptions;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request history that a browser-side tracker keeps in localStorage under the key {@value #STORAGE_KEY}:
 * a JSON array of objects with {@code requestId}, {@code timestamp}, {@code model}, {@code provider} and
 * optional {@code promptTokens}, {@code completionTokens}, {@code totalTokens} and {@code estimatedCost}.
 *
 * <p>The file may be that array, or a whole localStorage export: an object whose {@value #STORAGE_KEY} value is
 * the array or, as localStorage stores only strings, a JSON string that contains the array. Each valid entry
 * becomes an imported {@link TokenRequest} with the entry's counts as reported counts. {@code estimatedCost}
 * is ignored because the processor prices every request itself.
 *
 * <p>Trackers that estimate tokens as {@code ceil(characters / 4)} estimate the total from prompt and
 * completion together, so the total can be one less than the sum of the rounded parts. The processor
 * rejects a total that contradicts the parts, so such an entry is sent with its parts only and a note.
 *
 * @param requests the requests to send, one per distinct requestId, in file order
 * @param problems one line per skipped entry, naming its index in the array
 * @param notes one line per entry sent with a change, naming its index in the array
 * @param duplicates entries skipped because an earlier entry has the same requestId
 */
public record TrackerHistory(List<TokenRequest> requests, List<String> problems, List<String> notes,
                             int duplicates) {

    /** The localStorage key under which browser trackers keep the history. */
    public static final String STORAGE_KEY = "tokenUsage";

    /** The provider of an entry that names none; the schema's value for an automatically chosen provider. */
    static final String DEFAULT_PROVIDER = "auto";

    /** Latest timestamp accepted; later ones are typing errors, and epoch milliseconds must fit in a long. */
    private static final Instant LATEST_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Parses whole documents only: text after the first JSON value makes the file invalid. */
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Returns the number of entries skipped because they were invalid. */
    public int skipped() {
        return problems.size();
    }

    /**
     * Reads a history file and converts its entries to requests of one user.
     *
     * @param userId the user every request is billed to, already validated
     * @throws HistoryFormatException if the file is not JSON or contains no history array
     * @throws IOException if the file cannot be read
     */
    public static TrackerHistory read(Path file, String userId) throws IOException, HistoryFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HistoryFormatException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(entriesOf(root), userId);
    }

    /** Returns the array of entries: the root itself, or the value of its {@value #STORAGE_KEY} key. */
    static JsonNode entriesOf(JsonNode root) throws HistoryFormatException {
        if (root == null || root.isMissingNode()) {
            throw new HistoryFormatException("the file is empty, expected a JSON array");
        }
        if (root.isArray()) {
            return root;
        }
        if (!root.isObject()) {
            throw new HistoryFormatException("the file contains a " + typeOf(root)
                + ", expected a JSON array or an object with a " + STORAGE_KEY + " key");
        }
        JsonNode value = root.get(STORAGE_KEY);
        if (value == null) {
            throw new HistoryFormatException("the object has no " + STORAGE_KEY
                + " key, expected a JSON array or a localStorage export with that key");
        }
        if (value.isTextual()) {
            try {
                value = JSON.readTree(value.textValue());
            } catch (JsonProcessingException e) {
                throw new HistoryFormatException("the string under " + STORAGE_KEY + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
            }
        }
        if (value == null || !value.isArray()) {
            String found = value == null || value.isMissingNode() ? "an empty string" : "a " + typeOf(value);
            throw new HistoryFormatException("the value under " + STORAGE_KEY + " is " + found
                + ", expected a JSON array");
        }
        return value;
    }

    /** Converts the entries of the array, skipping invalid ones and later entries with a requestId seen before. */
    static TrackerHistory parse(JsonNode entries, String userId) {
        List<TokenRequest> requests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        int duplicates = 0;
        for (int index = 0; index < entries.size(); index++) {
            TokenRequest request;
            try {
                request = toRequest(entries.get(index), userId, index, notes);
            } catch (InvalidEntryException e) {
                problems.add("entry " + index + ": " + e.getMessage());
                continue;
            }
            if (seenIds.add(request.getRequestId())) {
                requests.add(request);
            } else {
                duplicates++;
            }
        }
        return new TrackerHistory(List.copyOf(requests), List.copyOf(problems), List.copyOf(notes), duplicates);
    }

    private static TokenRequest toRequest(JsonNode entry, String userId, int index, List<String> notes)
        throws InvalidEntryException {
        if (!entry.isObject()) {
            throw new InvalidEntryException("is a " + typeOf(entry) + ", expected an object");
        }
        String requestId = requiredId(entry, "requestId");
        String model = requiredId(entry, "model");
        Instant timestamp = timestamp(entry);
        String provider = optionalText(entry, "provider");
        Long prompt = optionalCount(entry, "promptTokens");
        Long completion = optionalCount(entry, "completionTokens");
        Long total = optionalCount(entry, "totalTokens");
        if (contradictsParts(prompt, completion, total)) {
            notes.add("entry " + index + ": totalTokens " + total + " does not match promptTokens " + prompt
                + " and completionTokens " + completion + ", so only the parts are sent");
            total = null;
        }

        return TokenRequest.newBuilder()
            .setRequestId(requestId)
            .setUserId(userId)
            .setTimestamp(timestamp)
            .setModel(model)
            .setProvider(provider == null || provider.isBlank() ? DEFAULT_PROVIDER : provider)
            .setReportedPromptTokens(prompt)
            .setReportedCompletionTokens(completion)
            .setReportedTotalTokens(total)
            .setApp("localStorage import")
            .setImported(true)
            .build();
    }

    /**
     * Returns whether the processor would reject this total: one that differs from the sum of both parts, or
     * is less than the one part given.
     */
    private static boolean contradictsParts(Long prompt, Long completion, Long total) {
        if (total == null || (prompt == null && completion == null)) {
            return false;
        }
        long parts = (prompt != null ? prompt : 0) + (completion != null ? completion : 0);
        boolean bothParts = prompt != null && completion != null;
        return bothParts ? parts != total : parts > total;
    }

    private static String requiredId(JsonNode entry, String name) throws InvalidEntryException {
        String value = optionalText(entry, name);
        if (value == null || value.isBlank()) {
            throw new InvalidEntryException(name + " is missing");
        }
        if (value.length() > TextOptions.MAX_LENGTH) {
            throw new InvalidEntryException(name + " has " + value.length() + " characters, expected at most "
                + TextOptions.MAX_LENGTH);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidEntryException(name + " '" + TextOptions.escapeControls(value)
                + "' contains a control character");
        }
        return value;
    }

    private static String optionalText(JsonNode entry, String name) throws InvalidEntryException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEntryException(name + " is a " + typeOf(value) + ", expected a string");
        }
        return value.textValue();
    }

    /** Returns a token count, or null when the field is missing or null; a count must be a whole number >= 0. */
    private static Long optionalCount(JsonNode entry, String name) throws InvalidEntryException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidEntryException(name + " is " + value + ", expected a whole number");
        }
        if (value.longValue() < 0) {
            throw new InvalidEntryException(name + " is negative: " + value.longValue());
        }
        return value.longValue();
    }

    /** Parses the timestamp: epoch milliseconds as a number, or an ISO-8601 date-time string with an offset. */
    private static Instant timestamp(JsonNode entry) throws InvalidEntryException {
        JsonNode value = entry.get("timestamp");
        if (value == null || value.isNull()) {
            throw new InvalidEntryException("timestamp is missing");
        }
        Instant time;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            time = Instant.ofEpochMilli(value.longValue());
        } else if (value.isTextual()) {
            try {
                time = OffsetDateTime.parse(value.textValue().trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidEntryException("timestamp '" + TextOptions.escapeControls(value.textValue())
                    + "' is not an ISO-8601 date-time with an offset, such as 2025-09-01T12:00:00.000Z");
            }
        } else {
            throw new InvalidEntryException("timestamp is " + value
                + ", expected epoch milliseconds or an ISO-8601 date-time string");
        }
        if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST_TIMESTAMP)) {
            throw new InvalidEntryException("timestamp " + time + " is outside " + Instant.EPOCH + " to "
                + LATEST_TIMESTAMP);
        }
        return time;
    }

    private static String typeOf(JsonNode node) {
        return "JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** An entry that cannot be imported; the message names the field and the problem. */
    private static final class InvalidEntryException extends Exception {
        InvalidEntryException(String message) {
            super(message);
        }
    }
}
