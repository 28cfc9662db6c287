package io.tokenmonitor.agent.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ApiTokenOptions;
import io.tokenmonitor.agent.TextOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code plan show} subcommand: prints the plan in force for a user, as the processor's HTTP API returns it. */
@Command(name = "show",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the plan in force for a user as the JSON body of GET {api-url}/api/v1/users/{user}/plan; a user "
            + "without a plan of their own gets the default plan, marked \"isDefault\":true. Sends the admin "
            + "token as a bearer token.",
        "Exits with 1, printing the HTTP status and body on stderr, when the request fails."})
public final class PlanShowCommand implements Callable<Integer> {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "USER_ID",
        description = "The user whose plan to show.")
    String userId;

    @Option(names = "--api-url", paramLabel = "URL",
        defaultValue = "${env:TOKEN_MONITOR_API_URL:-http://127.0.0.1:8080}",
        description = "Base URL of the processor's HTTP API (default: ${DEFAULT-VALUE}; the environment variable "
            + "TOKEN_MONITOR_API_URL sets the default).")
    String apiUrl;

    @Mixin
    ApiTokenOptions tokenOptions;

    @Override
    public Integer call() {
        TextOptions.requireValid(spec, "--user", userId);
        URI uri = planUri(baseUrl(), userId);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
        HttpRequest.Builder requestBuilder = HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .GET();
        String token = tokenOptions.bearerToken(System.getenv());
        if (token != null) {
            requestBuilder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = requestBuilder.build();

        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            // The JDK client leaves the message of a refused connection empty on some versions.
            String reason = e.getMessage() != null ? e.getMessage() : "connection refused";
            return fail(err, "Failed to connect to " + uri + " (" + reason + "): is the processor running? "
                + "Set its address with --api-url or TOKEN_MONITOR_API_URL.");
        } catch (HttpTimeoutException e) {
            return fail(err, "GET " + uri + " timed out: " + e.getMessage());
        } catch (IOException e) {
            return fail(err, "GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "Interrupted while waiting for GET " + uri);
        }

        String body = response.body().strip();
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            String hint = response.statusCode() == 401
                ? " (set the admin token with --admin-token or " + ApiTokenOptions.ADMIN_TOKEN_ENV + ")"
                : "";
            return fail(err, "GET " + uri + " failed with HTTP status " + response.statusCode() + ": "
                + (body.isEmpty() ? "(empty body)" : body) + hint);
        }
        if (!isJson(body)) {
            return fail(err, "GET " + uri + " returned HTTP status " + response.statusCode()
                + " with a body that is not JSON: " + body);
        }
        out.println(body);
        out.flush();
        return AgentCommand.EXIT_OK;
    }

    /**
     * Returns the validated --api-url without trailing slashes.
     *
     * @throws ParameterException if it is not an absolute http or https URL without query and fragment
     */
    private String baseUrl() {
        URI base;
        try {
            base = new URI(apiUrl);
        } catch (URISyntaxException e) {
            throw invalidApiUrl(e.getMessage());
        }
        String scheme = base.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw invalidApiUrl("expected an http or https URL such as http://127.0.0.1:8080");
        }
        if (base.getHost() == null) {
            throw invalidApiUrl("no host");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw invalidApiUrl("expected no query or fragment");
        }
        return apiUrl.replaceAll("/+$", "");
    }

    private ParameterException invalidApiUrl(String reason) {
        return new ParameterException(spec.commandLine(), "Invalid --api-url '" + apiUrl + "': " + reason);
    }

    /** Returns the URI of a user's plan below a base URL that has no trailing slash. */
    static URI planUri(String baseUrl, String userId) {
        return URI.create(baseUrl + "/api/v1/users/" + encodePathSegment(userId) + "/plan");
    }

    /**
     * Percent-encodes a value as one path segment (RFC 3986, section 3.3): the UTF-8 bytes of every character
     * other than a letter, digit, '-', '.', '_' or '~' become %XX. The segments "." and ".." are encoded in full,
     * because clients and servers would otherwise resolve them as the current and parent folder.
     */
    static String encodePathSegment(String value) {
        boolean dotSegment = value.equals(".") || value.equals("..");
        StringBuilder encoded = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int octet = b & 0xff;
            if (isUnreserved(octet) && !(dotSegment && octet == '.')) {
                encoded.append((char) octet);
            } else {
                encoded.append('%').append(HEX_DIGITS[octet >> 4]).append(HEX_DIGITS[octet & 0xf]);
            }
        }
        return encoded.toString();
    }

    private static boolean isUnreserved(int octet) {
        return (octet >= 'A' && octet <= 'Z') || (octet >= 'a' && octet <= 'z') || (octet >= '0' && octet <= '9')
            || octet == '-' || octet == '.' || octet == '_' || octet == '~';
    }

    private static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return !body.isEmpty();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return AgentCommand.EXIT_FAILURE;
    }
}
