package io.tokenmonitor.processor.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The endpoints that read across users. Only the admin may call them.
 */
final class AdminEndpoints {

    private final ApiServices services;

    AdminEndpoints(ApiServices services) {
        this.services = services;
    }

    void register(Javalin app) {
        app.get("/api/v1/stats", this::stats);
    }

    private void stats(Context ctx) {
        services.access().requireAdmin(ctx);
        ctx.json(Map.of(
            "deadLetteredSinceStart", services.rejections().snapshot(),
            "duplicatesSinceStart", services.rejections().duplicates()));
    }
}
