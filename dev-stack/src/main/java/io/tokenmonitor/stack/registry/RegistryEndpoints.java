package io.tokenmonitor.stack.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.registry.SchemaNotFoundException;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.registry.SubjectVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The request handlers of {@link SchemaRegistryServer}: each parses a request, calls the registry and
 * writes the Confluent response body. Failures are thrown as {@link SchemaRegistryException} and turned
 * into error bodies by {@link #writeError}.
 */
final class RegistryEndpoints {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Request body types the Confluent registry accepts. A request without a content type is read as JSON. */
    private static final Set<String> ACCEPTED_CONTENT_TYPES =
        Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json");

    private static final int BAD_REQUEST = 400;
    private static final int UNSUPPORTED_MEDIA_TYPE = 415;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemorySchemaRegistry registry;

    RegistryEndpoints(InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    /** Rejects a POST or PUT whose body is not one of the accepted JSON types, with HTTP 415. */
    void checkContentType(Context ctx) {
        if (ctx.method() != HandlerType.POST && ctx.method() != HandlerType.PUT) {
            return;
        }
        String contentType = ctx.contentType();
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_CONTENT_TYPES.contains(mediaType)) {
            throw new SchemaRegistryException("Unsupported content type '" + contentType + "'. Send "
                + CONTENT_TYPE + " or application/json", UNSUPPORTED_MEDIA_TYPE);
        }
    }

    void root(Context ctx) {
        writeJson(ctx, JSON.createObjectNode());
    }

    void schemaTypes(Context ctx) {
        writeJson(ctx, JSON.createArrayNode().add("AVRO"));
    }

    void schemaById(Context ctx) {
        Schema schema = registry.schemaById(schemaIdParam(ctx));
        writeJson(ctx, JSON.createObjectNode().put("schema", schema.toString()));
    }

    void versionsOfSchema(Context ctx) {
        ArrayNode versions = JSON.createArrayNode();
        for (SubjectVersion version : registry.versionsOfSchema(schemaIdParam(ctx), deletedParam(ctx))) {
            versions.addObject()
                .put("subject", version.subject())
                .put("version", version.version());
        }
        writeJson(ctx, versions);
    }

    void subjectsOfSchema(Context ctx) {
        Set<String> subjects = new LinkedHashSet<>();
        for (SubjectVersion version : registry.versionsOfSchema(schemaIdParam(ctx), deletedParam(ctx))) {
            subjects.add(version.subject());
        }
        ArrayNode body = JSON.createArrayNode();
        subjects.forEach(body::add);
        writeJson(ctx, body);
    }

    void subjects(Context ctx) {
        ArrayNode body = JSON.createArrayNode();
        registry.subjects(deletedParam(ctx)).forEach(body::add);
        writeJson(ctx, body);
    }

    void versions(Context ctx) {
        ArrayNode body = JSON.createArrayNode();
        registry.versions(ctx.pathParam("subject"), deletedParam(ctx)).forEach(body::add);
        writeJson(ctx, body);
    }

    void register(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = schemaFromBody(ctx);
        int id = registry.register(subject, schema);
        writeJson(ctx, JSON.createObjectNode().put("id", id));
    }

    void lookup(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = schemaFromBody(ctx);
        writeJson(ctx, subjectVersionJson(registry.lookup(subject, schema, deletedParam(ctx))));
    }

    void version(Context ctx) {
        SubjectVersion version =
            registry.version(ctx.pathParam("subject"), ctx.pathParam("version"), deletedParam(ctx));
        writeJson(ctx, subjectVersionJson(version));
    }

    /** Writes the schema of a version as the raw schema JSON, not wrapped in an object. */
    void versionSchema(Context ctx) {
        SubjectVersion version =
            registry.version(ctx.pathParam("subject"), ctx.pathParam("version"), deletedParam(ctx));
        writeBody(ctx, 200, version.schema().toString());
    }

    /**
     * Soft-deletes every version of a subject, or with {@code permanent=true} deletes a soft-deleted
     * subject for good, and writes the deleted version numbers as a JSON array.
     */
    void deleteSubject(Context ctx) {
        ArrayNode body = JSON.createArrayNode();
        registry.deleteSubject(ctx.pathParam("subject"), permanentParam(ctx)).forEach(body::add);
        writeJson(ctx, body);
    }

    /**
     * Soft-deletes one version, or with {@code permanent=true} deletes a soft-deleted version for good, and
     * writes the deleted version number as a bare JSON number.
     */
    void deleteVersion(Context ctx) {
        int deleted = registry.deleteVersion(ctx.pathParam("subject"), ctx.pathParam("version"),
            permanentParam(ctx));
        writeBody(ctx, 200, Integer.toString(deleted));
    }

    /** Checks a schema against the versions that registering it would check. */
    void checkCompatibility(Context ctx) {
        writeCompatibility(ctx, null);
    }

    /** Checks a schema against one version, or against every version for {@code latest} under a transitive level. */
    void checkCompatibilityWithVersion(Context ctx) {
        writeCompatibility(ctx, ctx.pathParam("version"));
    }

    void globalConfig(Context ctx) {
        writeJson(ctx, compatibilityLevelJson(registry.globalCompatibility()));
    }

    void updateGlobalConfig(Context ctx) {
        CompatibilityLevel level = compatibilityFromBody(ctx);
        registry.setGlobalCompatibility(level);
        writeJson(ctx, JSON.createObjectNode().put("compatibility", level.name()));
    }

    /**
     * Writes the subject's own level. A subject without one gets 404 with code 40408, unless the query
     * has {@code defaultToGlobal=true}, in which case the global level is written.
     */
    void subjectConfig(Context ctx) {
        String subject = ctx.pathParam("subject");
        Optional<CompatibilityLevel> level = registry.subjectCompatibility(subject);
        if (level.isPresent()) {
            writeJson(ctx, compatibilityLevelJson(level.get()));
            return;
        }
        if (Boolean.parseBoolean(ctx.queryParam("defaultToGlobal"))) {
            writeJson(ctx, compatibilityLevelJson(registry.globalCompatibility()));
            return;
        }
        throw noSubjectLevel(subject);
    }

    void updateSubjectConfig(Context ctx) {
        String subject = ctx.pathParam("subject");
        CompatibilityLevel level = compatibilityFromBody(ctx);
        registry.setSubjectCompatibility(subject, level);
        writeJson(ctx, JSON.createObjectNode().put("compatibility", level.name()));
    }

    /**
     * Removes the subject's own level and writes the removed level. A subject without a level of its own
     * gets 40408 if it has versions, or 40401 if the registry does not know it at all.
     */
    void deleteSubjectConfig(Context ctx) {
        String subject = ctx.pathParam("subject");
        Optional<CompatibilityLevel> removed = registry.deleteSubjectCompatibility(subject);
        if (removed.isPresent()) {
            writeJson(ctx, compatibilityLevelJson(removed.get()));
            return;
        }
        if (registry.subjects().contains(subject)) {
            throw noSubjectLevel(subject);
        }
        throw new SchemaRegistryException("Subject '" + subject + "' not found",
            SchemaRegistryException.SUBJECT_NOT_FOUND);
    }

    /**
     * Writes {@code {"is_compatible": bool}}, and with {@code verbose=true} also a {@code messages} array that
     * describes each incompatibility.
     */
    private void writeCompatibility(Context ctx, String version) {
        String subject = ctx.pathParam("subject");
        Schema schema = schemaFromBody(ctx);
        List<String> problems = registry.checkCompatibility(subject, schema, version);

        ObjectNode body = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (Boolean.parseBoolean(ctx.queryParam("verbose"))) {
            ArrayNode messages = body.putArray("messages");
            problems.forEach(messages::add);
        }
        writeJson(ctx, body);
    }

    /** Reads the {@code deleted} query parameter: true includes soft-deleted versions. */
    private static boolean deletedParam(Context ctx) {
        return Boolean.parseBoolean(ctx.queryParam("deleted"));
    }

    private static boolean permanentParam(Context ctx) {
        return Boolean.parseBoolean(ctx.queryParam("permanent"));
    }

    /**
     * Writes a Confluent error body. The HTTP status is the code itself for three-digit codes, and its
     * first three digits for five-digit codes (40401 is 404).
     */
    static void writeError(Context ctx, int errorCode, String message) {
        int status = errorCode < 1000 ? errorCode : errorCode / 100;
        if (status < 400 || status > 599) {
            status = 500;
        }
        ObjectNode body = JSON.createObjectNode()
            .put("error_code", errorCode)
            .put("message", message);
        writeBody(ctx, status, body.toString());
    }

    private static SchemaRegistryException noSubjectLevel(String subject) {
        return new SchemaRegistryException("Subject '" + subject
            + "' does not have subject-level compatibility configured",
            SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED);
    }

    /**
     * Parses the schema of a register or lookup request: {@code {"schema": "<Avro schema JSON>"}}, with
     * an optional {@code "schemaType": "AVRO"} and an optional empty {@code "references"} list.
     */
    private static Schema schemaFromBody(Context ctx) {
        JsonNode body = readJsonObject(ctx);

        JsonNode schemaType = body.get("schemaType");
        if (schemaType != null && !schemaType.isNull() && !"AVRO".equals(schemaType.asText())) {
            throw new SchemaRegistryException("Invalid schema: schemaType '" + schemaType.asText()
                + "' is not supported. This registry stores AVRO schemas only", SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode references = body.get("references");
        if (references != null && !references.isNull() && !references.isEmpty()) {
            throw new SchemaRegistryException("Invalid schema: schema references are not supported. "
                + "Inline the referenced types", SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode schemaText = body.get("schema");
        if (schemaText == null || !schemaText.isTextual() || schemaText.asText().isBlank()) {
            throw new SchemaRegistryException("Invalid schema: the request body needs a \"schema\" field that "
                + "contains the Avro schema JSON as a string", SchemaRegistryException.INVALID_SCHEMA);
        }

        try {
            return new Schema.Parser().parse(schemaText.asText());
        } catch (RuntimeException e) {
            // Avro reports bad input with several exception types (SchemaParseException, AvroTypeException
            // for a default of the wrong type, and others), so any failure here means the input is invalid.
            throw new SchemaRegistryException("Invalid schema: " + parseFailure(e),
                SchemaRegistryException.INVALID_SCHEMA);
        }
    }

    /**
     * Returns why Avro could not parse a schema. For a JSON syntax error, only the parser's message and position
     * are kept, without its class name and source excerpt.
     */
    private static String parseFailure(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                JsonLocation location = json.getLocation();
                String position = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
                return "not valid JSON: " + json.getOriginalMessage() + position;
            }
        }
        return String.valueOf(failure.getMessage());
    }

    private static CompatibilityLevel compatibilityFromBody(Context ctx) {
        JsonNode level = readJsonObject(ctx).get("compatibility");
        if (level == null || !level.isTextual()) {
            throw new SchemaRegistryException("Invalid compatibility level: the request body needs a "
                + "\"compatibility\" field, for example {\"compatibility\": \"BACKWARD\"}",
                SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
        }
        return CompatibilityLevel.parse(level.asText());
    }

    private static JsonNode readJsonObject(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Invalid JSON in request body: " + e.getOriginalMessage(),
                BAD_REQUEST);
        }
        if (body == null || !body.isObject()) {
            throw new SchemaRegistryException("Invalid request body: expected a JSON object", BAD_REQUEST);
        }
        return body;
    }

    private static int schemaIdParam(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException("Schema '" + id + "' not found: schema ids are integers",
                SchemaNotFoundException.ERROR_CODE);
        }
    }

    private static ObjectNode subjectVersionJson(SubjectVersion version) {
        return JSON.createObjectNode()
            .put("subject", version.subject())
            .put("version", version.version())
            .put("id", version.id())
            .put("schema", version.schema().toString());
    }

    private static ObjectNode compatibilityLevelJson(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private static void writeJson(Context ctx, JsonNode body) {
        writeBody(ctx, 200, body.toString());
    }

    /**
     * Writes a body as UTF-8 bytes. Passing a String to Javalin would encode it with the response charset,
     * which Jetty sets to ISO-8859-1 for a content type without a charset parameter, like the Confluent one.
     */
    private static void writeBody(Context ctx, int status, String body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(body.getBytes(StandardCharsets.UTF_8));
    }
}
