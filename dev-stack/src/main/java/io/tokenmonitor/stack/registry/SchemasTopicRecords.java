package io.tokenmonitor.stack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.registry.SubjectVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * The keys and values of the {@code _schemas} topic: UTF-8 JSON in the shapes that the Confluent Schema
 * Registry writes to its own {@code _schemas} topic, so that a reader of one can make sense of the other.
 *
 * <ul>
 *   <li>A version of a subject: key {@code {"keytype":"SCHEMA","subject":"s","version":2,"magic":1}},
 *       value {@code {"subject":"s","version":2,"id":7,"schema":"<Avro schema JSON>","deleted":false}}.
 *       A soft delete writes the same value with {@code "deleted":true}, and a permanent delete writes a
 *       null value (a tombstone). A value without {@code deleted} is a version that is not deleted.
 *   <li>A compatibility level: key {@code {"keytype":"CONFIG","subject":"s","magic":0}}, with a null
 *       subject for the global level, and value {@code {"compatibilityLevel":"FULL"}}. A null value (a
 *       tombstone) removes a subject's own level.
 * </ul>
 *
 * <p>The topic is compacted, which keeps the latest value of each key, so the same logical key must always
 * serialize to the same bytes. The encoders therefore write the fields in a fixed order.
 */
final class SchemasTopicRecords {

    static final String SCHEMA_KEY_TYPE = "SCHEMA";
    static final String CONFIG_KEY_TYPE = "CONFIG";

    private static final int SCHEMA_KEY_MAGIC = 1;
    private static final int CONFIG_KEY_MAGIC = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemasTopicRecords() {
    }

    /** A decoded record of the topic. */
    sealed interface Entry permits VersionEntry, ConfigEntry, OtherEntry {
    }

    /**
     * A version of a subject.
     *
     * @param version the stored version, or null for a tombstone
     */
    record VersionEntry(String subject, int versionNumber, SubjectVersion version, boolean deleted)
        implements Entry {
    }

    /**
     * A compatibility level.
     *
     * @param subject the subject, or null for the global level
     * @param level the level, or null for a tombstone that removes it
     */
    record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {
    }

    /** A record with a key type that this registry neither writes nor restores, such as NOOP or MODE. */
    record OtherEntry(String keyType) implements Entry {
    }

    static byte[] versionKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode()
            .put("keytype", SCHEMA_KEY_TYPE)
            .put("subject", subject)
            .put("version", version)
            .put("magic", SCHEMA_KEY_MAGIC);
        return bytes(key);
    }

    /** Returns the value of a version, with {@code deleted} true for a soft-deleted one. */
    static byte[] versionValue(SubjectVersion version, boolean deleted) {
        ObjectNode value = JSON.createObjectNode()
            .put("subject", version.subject())
            .put("version", version.version())
            .put("id", version.id())
            .put("schema", version.schema().toString())
            .put("deleted", deleted);
        return bytes(value);
    }

    /** Returns the key of a subject's own level, or of the global level when {@code subject} is null. */
    static byte[] configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", CONFIG_KEY_TYPE);
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", CONFIG_KEY_MAGIC);
        return bytes(key);
    }

    static byte[] configValue(CompatibilityLevel level) {
        return bytes(JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    /**
     * Decodes one record of the topic.
     *
     * @param value the value bytes, or null for a tombstone
     * @throws IllegalArgumentException if the key or value is not valid JSON of the expected shape, or the
     *     value's schema does not parse. The message is the reason alone, without the record's offset
     */
    static Entry decode(byte[] key, byte[] value) {
        JsonNode keyJson = readObject(key, "key");
        String keyType = requiredText(keyJson, "keytype", "key");
        return switch (keyType) {
            case SCHEMA_KEY_TYPE -> decodeVersion(keyJson, value);
            case CONFIG_KEY_TYPE -> decodeConfig(keyJson, value);
            default -> new OtherEntry(keyType);
        };
    }

    private static VersionEntry decodeVersion(JsonNode keyJson, byte[] value) {
        String subject = requiredText(keyJson, "subject", "key");
        int versionNumber = requiredInt(keyJson, "version", "key");
        if (value == null) {
            return new VersionEntry(subject, versionNumber, null, false);
        }

        JsonNode valueJson = readObject(value, "value");
        String valueSubject = requiredText(valueJson, "subject", "value");
        int valueVersion = requiredInt(valueJson, "version", "value");
        if (!subject.equals(valueSubject) || versionNumber != valueVersion) {
            throw new IllegalArgumentException("the key names version " + versionNumber
                + " of subject '" + subject + "', but the value names version " + valueVersion + " of subject '"
                + valueSubject + "'");
        }
        int id = requiredInt(valueJson, "id", "value");
        Schema schema = parseSchema(requiredText(valueJson, "schema", "value"), subject, versionNumber);
        boolean deleted = valueJson.path("deleted").asBoolean(false);
        return new VersionEntry(subject, versionNumber, new SubjectVersion(subject, versionNumber, id, schema),
            deleted);
    }

    private static ConfigEntry decodeConfig(JsonNode keyJson, byte[] value) {
        JsonNode subjectJson = keyJson.get("subject");
        String subject = subjectJson == null || subjectJson.isNull() ? null : subjectJson.asText();
        if (value == null) {
            return new ConfigEntry(subject, null);
        }
        String levelName = requiredText(readObject(value, "value"), "compatibilityLevel", "value");
        try {
            return new ConfigEntry(subject, CompatibilityLevel.parse(levelName));
        } catch (SchemaRegistryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Schema parseSchema(String schemaJson, String subject, int version) {
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (RuntimeException e) {
            // Avro reports bad input with several exception types, as in RegistryEndpoints.
            throw new IllegalArgumentException("the schema of version " + version + " of subject '"
                + subject + "' does not parse: " + e.getMessage(), e);
        }
    }

    private static JsonNode readObject(byte[] bytes, String part) {
        if (bytes == null) {
            throw new IllegalArgumentException("the " + part + " is missing");
        }
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + part + " is not valid JSON: "
                + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the " + part + " is not a JSON object: "
                + new String(bytes, StandardCharsets.UTF_8));
        }
        return json;
    }

    private static String requiredText(JsonNode json, String field, String part) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("the " + part + " needs a string field \"" + field
                + "\": " + json);
        }
        return node.asText();
    }

    private static int requiredInt(JsonNode json, String field, String part) {
        JsonNode node = json.get(field);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException("the " + part + " needs an integer field \"" + field
                + "\": " + json);
        }
        return node.asInt();
    }

    private static byte[] bytes(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
