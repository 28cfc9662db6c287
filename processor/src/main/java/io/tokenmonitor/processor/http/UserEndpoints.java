package io.tokenmonitor.processor.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tokenmonitor.processor.query.RecentRequestsRecorder;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.validation.RequestValidator;

/**
 * The endpoints under {@code /api/v1/users/{userId}}. Each checks the caller's access to the user, then the
 * router answers it here or on the instance that owns the user.
 */
final class UserEndpoints {

    static final String USER_PATH = "/api/v1/users/{userId}";

    private final ApiServices services;

    UserEndpoints(ApiServices services) {
        this.services = services;
    }

    void register(Javalin app) {
        get(app, "/usage", this::usage);
        get(app, "/requests", this::requests);
        get(app, "/plan", this::plan);
    }

    private void get(Javalin app, String path, UserHandler handler) {
        app.get(USER_PATH + path, ctx -> {
            String userId = userId(ctx);
            services.access().requireUser(ctx, userId);
            services.router().route(ctx, userId,
                stores -> handler.handle(ctx, userId, services.queries().apply(stores)));
        });
    }

    private void usage(Context ctx, String userId, UsageQueries queries) {
        String periodName = ctx.queryParam("period");
        try {
            ctx.json(queries.usage(userId, periodName, services.clock().instant()));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("period", e.getMessage());
        }
    }

    private void plan(Context ctx, String userId, UsageQueries queries) {
        ctx.json(queries.plan(userId, services.clock().instant()));
    }

    private void requests(Context ctx, String userId, UsageQueries queries) {
        int limit = RecentRequestsRecorder.MAX_RECENT_REQUESTS;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > RecentRequestsRecorder.MAX_RECENT_REQUESTS) {
                throw new BadRequestException("limit", "Invalid limit '" + limitText
                    + "': expected a whole number from 1 to " + RecentRequestsRecorder.MAX_RECENT_REQUESTS);
            }
        }
        ctx.json(queries.recentRequests(userId, limit));
    }

    private static String userId(Context ctx) {
        String userId = ctx.pathParam("userId");
        if (userId.isBlank() || userId.length() > RequestValidator.MAX_ID_LENGTH
            || userId.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("userId", "Invalid userId: expected 1 to " + RequestValidator.MAX_ID_LENGTH
                + " characters without control characters");
        }
        return userId;
    }

    /** Answers one per-user request from queries over stores that hold the user's data. */
    @FunctionalInterface
    private interface UserHandler {

        void handle(Context ctx, String userId, UsageQueries queries) throws Exception;
    }
}
