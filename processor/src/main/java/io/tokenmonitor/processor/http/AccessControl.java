package io.tokenmonitor.processor.http;

import io.javalin.http.Context;

/**
 * Decides who may read what.
 */
public interface AccessControl {

    /** Returns normally when the caller may read {@code userId}'s data; otherwise throws an HTTP error. */
    void requireUser(Context ctx, String userId);

    /** Returns normally when the caller may read every user's data; otherwise throws an HTTP error. */
    void requireAdmin(Context ctx);

    /** Lets every caller read everything. For tests of other concerns only. */
    AccessControl OPEN = new AccessControl() {
        @Override
        public void requireUser(Context ctx, String userId) {
        }

        @Override
        public void requireAdmin(Context ctx) {
        }
    };
}
