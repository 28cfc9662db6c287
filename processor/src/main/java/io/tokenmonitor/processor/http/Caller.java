package io.tokenmonitor.processor.http;

/**
 * The identity of a request's sender, as its bearer token identifies it. {@code GET /api/v1/whoami} returns it as JSON.
 *
 * @param role {@code "admin"} or {@code "user"}
 * @param userId the user a user token belongs to; null for the admin
 */
public record Caller(String role, String userId) {

    public static final String ADMIN_ROLE = "admin";
    public static final String USER_ROLE = "user";

    /** The caller holding the admin token. */
    public static final Caller ADMIN = new Caller(ADMIN_ROLE, null);

    /** Returns the caller holding the token of {@code userId}. */
    public static Caller user(String userId) {
        return new Caller(USER_ROLE, userId);
    }

    /** Returns whether this caller may read every user's data. */
    public boolean isAdmin() {
        return ADMIN_ROLE.equals(role);
    }

    /** Returns whether this caller may read the data of {@code otherUserId}. */
    public boolean mayRead(String otherUserId) {
        return isAdmin() || (userId != null && userId.equals(otherUserId));
    }
}
