package io.tokenmonitor.agent.alerts.webhook;

import io.tokenmonitor.agent.alerts.AlertJson;
import io.tokenmonitor.schema.UsageAlert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts alerts to one webhook URL, one attempt per call. Each request has the alert's JSON line as body
 * ({@link AlertJson}), {@code Content-Type: application/json} and {@code Idempotency-Key: <alertId>}, so a
 * receiver can drop the repeats that retries and restarts cause.
 *
 * <p>Redirects are followed only with 307 or 308, which keep the method and body, and only to the same
 * scheme, host and port, at most {@value #MAX_REDIRECTS} times. Any other redirect rejects the alert.
 */
public final class WebhookClient {

    /** The header that carries the alert id. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    static final int MAX_REDIRECTS = 3;

    private static final String USER_AGENT = "token-monitor-agent";

    private final URI url;
    private final Duration attemptTimeout;
    private final HttpClient http;

    /**
     * Creates a client.
     *
     * @param url an absolute http or https URL
     * @param attemptTimeout the time limit of one attempt, from connecting to the end of the response
     * @throws IllegalArgumentException when the URL is not an absolute http or https URL with a host
     */
    public WebhookClient(URI url, Duration attemptTimeout) {
        this.url = validate(url);
        this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        this.http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(attemptTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    /**
     * Checks that a webhook URL is absolute, http or https, and has a host.
     *
     * @return the URL
     * @throws IllegalArgumentException otherwise, with a message that names no path or query
     */
    public static URI validate(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Invalid webhook URL: expected an http or https URL, got scheme '"
                + scheme + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("Invalid webhook URL: the host is missing");
        }
        return url;
    }

    /**
     * Returns the URL's scheme, host and port only, for logs: the path, query and user info may contain
     * secrets.
     */
    public static String describe(URI url) {
        int port = url.getPort();
        return url.getScheme() + "://" + url.getHost() + (port < 0 ? "" : ":" + port);
    }

    /** Returns the webhook's scheme, host and port, see {@link #describe(URI)}. */
    public String describe() {
        return describe(url);
    }

    /**
     * Posts the alert once, following allowed redirects, and classifies the outcome. Connection failures,
     * timeouts and error statuses are returned as {@link AttemptResult.Outcome#RETRYABLE} or
     * {@link AttemptResult.Outcome#REJECTED} results rather than thrown.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting for the response
     */
    public AttemptResult post(UsageAlert alert) throws InterruptedException {
        byte[] body = AlertJson.toLine(alert).getBytes(StandardCharsets.UTF_8);
        long deadlineNanos = System.nanoTime() + attemptTimeout.toNanos();
        URI target = url;
        for (int redirects = 0; ; redirects++) {
            HttpResponse<Void> response;
            try {
                response = send(target, alert.getAlertId(), body, deadlineNanos);
            } catch (TimeoutException | HttpTimeoutException e) {
                return AttemptResult.retryable(AttemptResult.NO_STATUS,
                    "timed out after " + attemptTimeout.toMillis() + " ms", null);
            } catch (IOException e) {
                return AttemptResult.retryable(AttemptResult.NO_STATUS, describeFailure(e), null);
            }

            int status = response.statusCode();
            if (status != 307 && status != 308) {
                return classify(response);
            }
            Optional<URI> next = redirectTarget(target, response);
            if (next.isEmpty()) {
                return AttemptResult.rejected(status, "redirect to another origin or without a valid Location");
            }
            if (redirects >= MAX_REDIRECTS) {
                return AttemptResult.rejected(status, "more than " + MAX_REDIRECTS + " redirects");
            }
            target = next.get();
        }
    }

    private HttpResponse<Void> send(URI target, String alertId, byte[] body, long deadlineNanos)
        throws IOException, InterruptedException, TimeoutException {
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            throw new TimeoutException();
        }
        HttpRequest request = HttpRequest.newBuilder(target)
            .timeout(Duration.ofNanos(remainingNanos))
            .header("Content-Type", "application/json")
            .header(IDEMPOTENCY_KEY_HEADER, alertId)
            .header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        // The request timeout ends at the response headers, so the future's limit also bounds the body.
        CompletableFuture<HttpResponse<Void>> future = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return future.get(remainingNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static AttemptResult classify(HttpResponse<Void> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return AttemptResult.delivered(status);
        }
        if (status >= 500 || status == 408 || status == 429) {
            return AttemptResult.retryable(status, "HTTP " + status, retryAfter(response));
        }
        return AttemptResult.rejected(status, "HTTP " + status);
    }

    /** Returns the Retry-After delay when the header is a number of seconds; an HTTP date is ignored. */
    private static Duration retryAfter(HttpResponse<Void> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.get().trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Returns the Location of a redirect when it resolves to the same scheme, host and port as the request. */
    private static Optional<URI> redirectTarget(URI current, HttpResponse<Void> response) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        URI next;
        try {
            next = current.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean sameOrigin = Objects.equals(lower(next.getScheme()), lower(current.getScheme()))
            && Objects.equals(lower(next.getHost()), lower(current.getHost()))
            && effectivePort(next) == effectivePort(current);
        return sameOrigin ? Optional.of(next) : Optional.empty();
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Returns the exception's class and message. */
    private static String describeFailure(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
