package io.tokenmonitor.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of a Confluent-compatible Schema Registry over its REST API, using {@link HttpClient}.
 *
 * <p>Ids of registered schemas are cached per subject and schema, and schemas per id, for the life of the
 * client, so each is fetched over HTTP once. Two threads that miss the cache at the same moment may both
 * send the request, which is harmless because the registry returns the same id to both. Instances are thread-safe.
 *
 * <p>Failures become {@link SchemaRegistryException}s that carry the registry's {@code error_code} and
 * {@code message}. A schema id that the registry does not have becomes {@link SchemaNotFoundException}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** The media type of the registry's API, sent as both content type and accepted type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_CHARS_IN_MESSAGE = 200;

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    /**
     * Creates a client of the registry at a base URL, for example {@code http://127.0.0.1:8081}, with
     * the {@linkplain #DEFAULT_REQUEST_TIMEOUT default request timeout}.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL
     */
    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Creates a client of the registry at a base URL. The timeout bounds connecting and each request.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL, or the timeout is
     *     not positive
     */
    public RestSchemaRegistryClient(String baseUrl, Duration requestTimeout) {
        this.baseUrl = normalizeBaseUrl(baseUrl);
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("Request timeout must be positive, got " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
            .connectTimeout(requestTimeout)
            .build();
    }

    /** Returns the base URL without trailing slashes. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Registers a schema with {@code POST /subjects/{subject}/versions}, or returns the cached id.
     *
     * @throws SchemaRegistryException with the registry's error code if it rejects the schema (for
     *     example 409 when incompatible, 42201 when invalid), or code 0 if it cannot be reached
     */
    @Override
    public int register(String subject, Schema schema) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("Subject must not be null or empty");
        }
        String schemaJson = schema.toString();
        SubjectSchema key = new SubjectSchema(subject, schemaJson);
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }

        ObjectNode body = JSON.createObjectNode().put("schema", schemaJson);
        String url = baseUrl + "/subjects/" + encodePathSegment(subject) + "/versions";
        HttpRequest request = requestTo(url)
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw errorOf(response);
        }

        JsonNode id = parseBody(response).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("Invalid response from " + url + ": no integer \"id\" in "
                + abbreviate(response.body()), 0);
        }
        idBySubjectSchema.putIfAbsent(key, id.intValue());
        schemaById.putIfAbsent(id.intValue(), schema);
        return id.intValue();
    }

    /**
     * Fetches a schema with {@code GET /schemas/ids/{id}}, or returns the cached one.
     *
     * @throws SchemaNotFoundException if the registry has no schema with that id
     * @throws SchemaRegistryException if the registry fails, cannot be reached, or returns a schema that
     *     is not Avro
     */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }

        String url = baseUrl + "/schemas/ids/" + id;
        HttpResponse<String> response = send(requestTo(url).GET().build());
        if (response.statusCode() == 404) {
            throw new SchemaNotFoundException(id);
        }
        if (response.statusCode() != 200) {
            throw errorOf(response);
        }

        JsonNode body = parseBody(response);
        JsonNode schemaType = body.get("schemaType");
        if (schemaType != null && !"AVRO".equals(schemaType.asText())) {
            throw new SchemaRegistryException("Schema " + id + " at " + url + " has type " + schemaType.asText()
                + ", but only AVRO schemas are supported", SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode schemaText = body.get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            throw new SchemaRegistryException("Invalid response from " + url + ": no string \"schema\" in "
                + abbreviate(response.body()), 0);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema " + id + " at " + url + " is not valid Avro: "
                + e.getMessage(), SchemaRegistryException.INVALID_SCHEMA);
        }
        Schema previous = schemaById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    private HttpRequest.Builder requestTo(String url) {
        return HttpRequest.newBuilder(URI.create(url))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    }

    private HttpResponse<String> send(HttpRequest request) {
        String target = request.method() + " " + request.uri();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException(target + " timed out after " + requestTimeout
                + ". Is the Schema Registry at " + baseUrl + " running and reachable?", e);
        } catch (ConnectException e) {
            throw new SchemaRegistryException("Failed to connect to the Schema Registry at " + baseUrl + " for "
                + target + ". Is the registry running? Start it, or point the registry URL at one that is.", e);
        } catch (IOException e) {
            throw new SchemaRegistryException(target + " failed: " + e
                + ". Is the Schema Registry at " + baseUrl + " running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(target + " was interrupted", e);
        }
    }

    /** Builds the exception for a non-200 response, from its Confluent error body when it has one. */
    private static SchemaRegistryException errorOf(HttpResponse<String> response) {
        String target = response.request().method() + " " + response.request().uri();
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode errorCode = body == null ? null : body.get("error_code");
            JsonNode message = body == null ? null : body.get("message");
            if (errorCode != null && errorCode.canConvertToInt()) {
                String text = message != null ? message.asText() : "no message";
                return new SchemaRegistryException(target + " failed with HTTP " + response.statusCode()
                    + ", error code " + errorCode.intValue() + ": " + text, errorCode.intValue());
            }
        } catch (JsonProcessingException e) {
            // Not a Confluent error body: a proxy page, for example. The message below shows it instead.
        }
        return new SchemaRegistryException(target + " failed with HTTP " + response.statusCode() + ": "
            + abbreviate(response.body()), 0);
    }

    private static JsonNode parseBody(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (JsonProcessingException e) {
            // Reported below together with the body.
        }
        throw new SchemaRegistryException("Invalid response to " + response.request().method() + " "
            + response.request().uri() + ": expected a JSON object, got " + abbreviate(response.body()), 0);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isEmpty()) {
            return "an empty body";
        }
        if (body.length() <= MAX_BODY_CHARS_IN_MESSAGE) {
            return body;
        }
        return body.substring(0, MAX_BODY_CHARS_IN_MESSAGE) + "...";
    }

    /** Percent-encodes a path segment. URLEncoder writes spaces as '+', which a path reads literally. */
    private static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String normalizeBaseUrl(String baseUrl) {
        if (baseUrl == null) {
            throw new IllegalArgumentException("Schema Registry URL must not be null");
        }
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid Schema Registry URL '" + baseUrl + "': " + e.getMessage(), e);
        }
        boolean httpScheme = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!httpScheme || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid Schema Registry URL '" + baseUrl
                + "', expected an http or https URL such as http://127.0.0.1:8081");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("Invalid Schema Registry URL '" + baseUrl
                + "': a base URL takes no query or fragment");
        }
        return trimmed;
    }

    private record SubjectSchema(String subject, String schemaJson) {
    }
}
