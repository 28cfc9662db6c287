package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import io.tokenmonitor.processor.config.ApiTokens;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Access by bearer token ({@code Authorization: Bearer <token>}): the admin token reads everything, a
 * user's token reads only that user's data.
 *
 * <p>The presented token is hashed with SHA-256 and compared with every configured digest by
 * {@link MessageDigest#isEqual}, which takes the same time wherever the digests differ. The loop never
 * stops early, so the time taken does not reveal which token, if any, matched. Tokens are never logged and
 * never appear in an error message.
 */
public final class TokenAccessControl implements AccessControl {

    /** The context attribute that contains the {@link Caller} once the request is authenticated. */
    static final String CALLER_ATTRIBUTE = "tokenMonitor.caller";

    private static final String BEARER_SCHEME = "Bearer";

    private final List<byte[]> digests = new ArrayList<>();
    private final List<Caller> callers = new ArrayList<>();

    public TokenAccessControl(ApiTokens tokens) {
        digests.add(tokens.adminDigest());
        callers.add(Caller.ADMIN);
        for (Map.Entry<String, byte[]> entry : tokens.userDigests().entrySet()) {
            digests.add(entry.getValue());
            callers.add(Caller.user(entry.getKey()));
        }
    }

    @Override
    public Caller authenticate(Context ctx) {
        Caller known = ctx.attribute(CALLER_ATTRIBUTE);
        if (known != null) {
            return known;
        }
        Caller caller = callerOf(bearerToken(ctx.header("Authorization")));
        ctx.attribute(CALLER_ATTRIBUTE, caller);
        return caller;
    }

    @Override
    public void requireUser(Context ctx, String userId) {
        Caller caller = authenticate(ctx);
        if (!caller.mayRead(userId)) {
            throw AccessDeniedException.forbidden("The token of user '" + caller.userId()
                + "' may read only that user's data");
        }
    }

    @Override
    public void requireAdmin(Context ctx) {
        if (!authenticate(ctx).isAdmin()) {
            throw AccessDeniedException.forbidden("This endpoint requires the admin token");
        }
    }

    /**
     * Returns the token of an {@code Authorization: Bearer <token>} header. The scheme is case-insensitive
     * (RFC 7235, section 2.1) and one or more spaces separate it from the token.
     *
     * @throws AccessDeniedException (401) when the header is absent, has another scheme or no token
     */
    static String bearerToken(String header) {
        if (header == null || header.isBlank()) {
            throw AccessDeniedException.missingToken();
        }
        boolean bearer = header.length() > BEARER_SCHEME.length()
            && header.regionMatches(true, 0, BEARER_SCHEME, 0, BEARER_SCHEME.length())
            && header.charAt(BEARER_SCHEME.length()) == ' ';
        if (!bearer) {
            throw AccessDeniedException.malformedHeader(
                "Invalid Authorization header: expected 'Bearer <token>'");
        }
        String token = header.substring(BEARER_SCHEME.length()).stripLeading();
        if (token.isEmpty() || token.length() > ApiTokens.MAX_TOKEN_LENGTH
            || token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw AccessDeniedException.malformedHeader("Invalid Authorization header: expected one token of "
                + "printable ASCII characters after 'Bearer '");
        }
        return token;
    }

    private Caller callerOf(String token) {
        byte[] presented = ApiTokens.digest(token);
        Caller match = null;
        // Compare with every digest, without stopping at a match, so the time does not depend on which matched.
        for (int i = 0; i < digests.size(); i++) {
            boolean equal = MessageDigest.isEqual(digests.get(i), presented);
            match = equal ? callers.get(i) : match;
        }
        if (match == null) {
            throw AccessDeniedException.unknownToken();
        }
        return match;
    }

    @Override
    public String toString() {
        return "TokenAccessControl[" + (callers.size() - 1) + " user tokens]";
    }
}
