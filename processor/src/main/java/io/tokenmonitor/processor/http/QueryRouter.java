package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import io.tokenmonitor.processor.query.UsageStores;

/**
 * Decides where a per-user request is answered: here, over the stores that hold the user's data, or on the
 * instance that owns the user, whose answer is copied into the response unchanged.
 */
public interface QueryRouter {

    /**
     * Answers a request about one user.
     *
     * @param local writes the answer from stores that hold the user's data on this instance
     */
    void route(Context ctx, String userId, LocalAnswer local) throws Exception;

    /** Writes an answer into the response from this instance's stores. */
    @FunctionalInterface
    interface LocalAnswer {

        void answer(UsageStores stores) throws Exception;
    }

    /** A router for a single instance, which holds every user: it always answers from {@code stores}. */
    static QueryRouter singleInstance(UsageStores stores) {
        return (ctx, userId, local) -> local.answer(stores);
    }
}
