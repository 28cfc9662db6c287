package io.tokenmonitor.processor.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/whoami}: the caller that the request's bearer token identifies, as
 * {@code {"role":"admin"|"user","userId":null|"<id>"}}, so a client such as the dashboard can tell an admin
 * token from a user token before it requests data.
 */
final class AccessEndpoints {

    private final ApiServices services;

    AccessEndpoints(ApiServices services) {
        this.services = services;
    }

    void register(Javalin app) {
        app.get("/api/v1/whoami", this::whoami);
    }

    private void whoami(Context ctx) {
        Caller caller = services.access().authenticate(ctx);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("role", caller.role());
        body.put("userId", caller.userId());
        ctx.json(body);
    }
}
