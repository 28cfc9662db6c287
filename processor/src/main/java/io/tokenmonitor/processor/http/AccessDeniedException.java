package io.tokenmonitor.processor.http;

/**
 * A request whose token does not grant the data it reads. {@link ApiServer} turns it into a JSON {@link ApiError}:
 * 401 with {@code WWW-Authenticate: Bearer} when the token is missing, malformed or unknown, 403 when
 * the token is valid but does not grant the data.
 */
public final class AccessDeniedException extends RuntimeException {

    private final int status;
    private final String bearerError;

    private AccessDeniedException(int status, String bearerError, String message) {
        super(message);
        this.status = status;
        this.bearerError = bearerError;
    }

    /** Returns a 401 for a request that carries no bearer token. */
    public static AccessDeniedException missingToken() {
        return new AccessDeniedException(401, null,
            "Missing bearer token: send the header 'Authorization: Bearer <token>'");
    }

    /** Returns a 401 for an Authorization header that is not {@code Bearer <token>}. */
    public static AccessDeniedException malformedHeader(String reason) {
        return new AccessDeniedException(401, "invalid_request", reason);
    }

    /** Returns a 401 for a bearer token that matches no configured token. */
    public static AccessDeniedException unknownToken() {
        return new AccessDeniedException(401, "invalid_token", "Unknown bearer token");
    }

    /** Returns a 403 for a valid token that does not grant the requested data. */
    public static AccessDeniedException forbidden(String reason) {
        return new AccessDeniedException(403, null, reason);
    }

    /** Returns the HTTP status: 401 or 403. */
    public int status() {
        return status;
    }

    /**
     * Returns the value of the {@code WWW-Authenticate} header of a 401 (RFC 6750, section 3), or null for
     * a 403.
     */
    public String authenticateHeader() {
        if (status != 401) {
            return null;
        }
        return bearerError == null
            ? "Bearer realm=\"token-monitor\""
            : "Bearer realm=\"token-monitor\", error=\"" + bearerError + "\"";
    }
}
