package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import io.tokenmonitor.processor.query.UsageStores;

/**
 * Decides which instance serves a per-user request. This instance serves it from the stores that contain
 * the user's data, or forwards it to the instance that owns the user and copies that response unchanged.
 */
public interface QueryRouter {

    /**
     * Serves a request about one user.
     *
     * @param local writes the response from stores that contain the user's data on this instance
     */
    void route(Context ctx, String userId, LocalAnswer local) throws Exception;

    /** Writes the response from this instance's stores. */
    @FunctionalInterface
    interface LocalAnswer {

        void answer(UsageStores stores) throws Exception;
    }

    /** Returns a router for a single instance, which owns every user, so it always reads {@code stores}. */
    static QueryRouter singleInstance(UsageStores stores) {
        return (ctx, userId, local) -> local.answer(stores);
    }
}
