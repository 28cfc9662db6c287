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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a Confluent-compatible Schema Registry over its REST API, using {@link HttpClient}.
 *
 * <p>Ids of registered schemas are cached per subject and schema, and schemas per id, for the life of the
 * client, so each is fetched over HTTP once. Two threads that miss the cache at the same moment may both
 * send the request, which is harmless because the registry returns the same id to both. Instances are thread-safe.
 *
 * <p>A request that fails to connect, times out, or gets HTTP 408, 429 or 5xx is sent again after an
 * exponential backoff with full jitter: before retry n the client sleeps a random time between zero and
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))}. It gives up when the next sleep would end after the
 * retry budget, counted from the first attempt. Other 4xx responses are not retried. Each call that needs
 * a retry logs one WARN, and the retries after it log at DEBUG.
 *
 * <p>Failures become {@link SchemaRegistryException}s that carry the registry's {@code error_code} and
 * {@code message}. A schema id that the registry does not have becomes {@link SchemaNotFoundException}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** The media type of the registry's API, sent as both content type and accepted type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The default total time a call may spend on attempts and the sleeps between them. */
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(30);

    /** The default cap of the sleep before the first retry. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

    /** The default cap of the sleep between two attempts, which the doubling cap stops growing at. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_CHARS_IN_MESSAGE = 200;

    private final String baseUrl;
    /** The base URL without user info, for messages and logs, so that no password is written. */
    private final String displayUrl;
    private final Duration requestTimeout;
    private final Duration retryBudget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
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
     * Creates a client of the registry at a base URL, with the default retry budget and backoff. The
     * timeout bounds connecting and each request.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL, or the timeout is
     *     not positive
     */
    public RestSchemaRegistryClient(String baseUrl, Duration requestTimeout) {
        this(baseUrl, requestTimeout, DEFAULT_RETRY_BUDGET, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /**
     * Creates a client of the registry at a base URL with its own retry settings.
     *
     * @param requestTimeout the time limit for connecting and for each attempt
     * @param retryBudget the total time for the attempts of one call and the sleeps between them. Zero
     *     disables retries. An attempt that starts within the budget may end up to one request timeout
     *     after it
     * @param initialBackoff the cap of the random sleep before the first retry, doubled for each later one
     * @param maxBackoff the largest cap of the random sleep between two attempts
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL, the timeout or a
     *     backoff is not positive, the budget is negative, or {@code maxBackoff < initialBackoff}
     */
    public RestSchemaRegistryClient(String baseUrl, Duration requestTimeout, Duration retryBudget,
                                    Duration initialBackoff, Duration maxBackoff) {
        this.baseUrl = normalizeBaseUrl(baseUrl);
        this.displayUrl = withoutUserInfo(this.baseUrl);
        requirePositive(requestTimeout, "Request timeout");
        requirePositive(initialBackoff, "Initial backoff");
        requirePositive(maxBackoff, "Max backoff");
        if (retryBudget == null || retryBudget.isNegative()) {
            throw new IllegalArgumentException("Retry budget must be zero or positive, got " + retryBudget);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("Max backoff " + maxBackoff + " must not be below the initial "
                + "backoff " + initialBackoff);
        }
        this.requestTimeout = requestTimeout;
        this.retryBudget = retryBudget;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
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
        String shownUrl = withoutUserInfo(url);
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
            throw new SchemaRegistryException("Invalid response from " + shownUrl + ": no integer \"id\" in "
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
        String shownUrl = withoutUserInfo(url);
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
            throw new SchemaRegistryException("Schema " + id + " at " + shownUrl + " has type " + schemaType.asText()
                + ", but only AVRO schemas are supported", SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode schemaText = body.get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            throw new SchemaRegistryException("Invalid response from " + shownUrl + ": no string \"schema\" in "
                + abbreviate(response.body()), 0);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema " + id + " at " + shownUrl + " is not valid Avro: "
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

    /**
     * Sends a request, retrying connection failures, timeouts and HTTP 408, 429 and 5xx within the retry
     * budget, and returns the first response that is not retried.
     *
     * @throws SchemaRegistryException if the last attempt failed to connect or timed out (code 0), if the
     *     last retried response was an error (its error code), or if the thread was interrupted
     */
    private HttpResponse<String> send(HttpRequest request) {
        String target = request.method() + " " + request.uri().getRawPath();
        long startNanos = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            SchemaRegistryException failure;
            try {
                HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (!isRetryableStatus(response.statusCode())) {
                    if (attempt > 1) {
                        log.info("{} to the Schema Registry at {} succeeded on attempt {}", target, displayUrl,
                            attempt);
                    }
                    return response;
                }
                failure = errorOf(response);
            } catch (IOException e) {
                failure = connectionFailure(target, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(target + " to the Schema Registry at " + displayUrl
                    + " was interrupted", e);
            }

            long sleepNanos = backoffNanos(attempt);
            long elapsedNanos = System.nanoTime() - startNanos;
            if (elapsedNanos + sleepNanos > retryBudget.toNanos()) {
                throw gaveUp(attempt, elapsedNanos, failure);
            }
            long sleepMs = TimeUnit.NANOSECONDS.toMillis(sleepNanos);
            if (attempt == 1) {
                log.warn("{} to the Schema Registry at {} failed, retrying for up to {} ms: {}", target, displayUrl,
                    retryBudget.toMillis(), failure.getMessage());
            } else {
                log.debug("{} attempt {} failed, retrying in {} ms: {}", target, attempt, sleepMs,
                    failure.getMessage());
            }
            sleep(sleepNanos, target);
        }
    }

    private static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Returns a random sleep before retry {@code attempt}, between zero and the doubled cap (full jitter). */
    private long backoffNanos(int attempt) {
        long capNanos = initialBackoff.toNanos();
        for (int doubling = 1; doubling < attempt && capNanos < maxBackoff.toNanos(); doubling++) {
            capNanos *= 2;
        }
        capNanos = Math.min(capNanos, maxBackoff.toNanos());
        return ThreadLocalRandom.current().nextLong(capNanos + 1);
    }

    private SchemaRegistryException connectionFailure(String target, IOException error) {
        if (error instanceof HttpTimeoutException) {
            return new SchemaRegistryException(target + " timed out after " + requestTimeout
                + ". Is the Schema Registry at " + displayUrl + " running and reachable?", error);
        }
        if (error instanceof ConnectException) {
            return new SchemaRegistryException("Failed to connect to the Schema Registry at " + displayUrl + " for "
                + target + ". Is the registry running? Start it, or point the registry URL at one that is.", error);
        }
        return new SchemaRegistryException(target + " failed: " + error
            + ". Is the Schema Registry at " + displayUrl + " running?", error);
    }

    /** Returns the last failure with the attempt count in front, keeping its error code and cause. */
    private SchemaRegistryException gaveUp(int attempts, long elapsedNanos, SchemaRegistryException last) {
        if (attempts == 1 && retryBudget.isZero()) {
            return last;
        }
        String message = "Gave up after " + attempts + " attempts in " + TimeUnit.NANOSECONDS.toMillis(elapsedNanos)
            + " ms (retry budget " + retryBudget.toMillis() + " ms). Last failure: " + last.getMessage();
        Throwable cause = last.getCause() != null ? last.getCause() : last;
        return new SchemaRegistryException(message, last.errorCode(), cause);
    }

    private void sleep(long nanos, String target) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(target + " to the Schema Registry at " + displayUrl
                + " was interrupted while waiting to retry", e);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /** Builds the exception for a non-200 response, from its Confluent error body when it has one. */
    private SchemaRegistryException errorOf(HttpResponse<String> response) {
        String target = response.request().method() + " " + displayUrl + response.request().uri().getRawPath();
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

    private static String withoutUserInfo(String url) {
        String userInfo = URI.create(url).getRawUserInfo();
        return userInfo == null ? url : url.replace(userInfo + "@", "");
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
