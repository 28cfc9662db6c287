package io.tokenmonitor.processor.http;

import io.javalin.http.Context;

/**
 * Decides who may read what. Every method either returns normally or throws {@link AccessDeniedException}.
 */
public interface AccessControl {

    /**
     * Identifies the caller of a request from its credentials and remembers it for the methods below.
     * {@link ApiServer} calls it before every {@code /api/v1} handler except the OpenAPI document.
     *
     * @throws AccessDeniedException (401) when the credentials are missing, malformed or unknown
     */
    Caller authenticate(Context ctx);

    /** Returns normally when the caller may read {@code userId}'s data; otherwise throws 401 or 403. */
    void requireUser(Context ctx, String userId);

    /** Returns normally when the caller may read every user's data; otherwise throws 401 or 403. */
    void requireAdmin(Context ctx);

    /** Lets every caller read everything, as the admin. For tests of other concerns only. */
    AccessControl OPEN = new AccessControl() {
        @Override
        public Caller authenticate(Context ctx) {
            return Caller.ADMIN;
        }

        @Override
        public void requireUser(Context ctx, String userId) {
        }

        @Override
        public void requireAdmin(Context ctx) {
        }
    };
}
