package io.tokenmonitor.processor.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tokenmonitor.processor.query.ExportView;
import io.tokenmonitor.processor.query.RecentRequestsRecorder;
import io.tokenmonitor.processor.query.UsageCsv;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.validation.RequestValidator;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The endpoints under {@code /api/v1/users/{userId}}. Each checks the caller's access to the user. Then the
 * router serves the request here or forwards it to the instance that owns the user. A {@code period} parameter
 * is a period's start date {@code YYYY-MM-DD} or a month {@code YYYY-MM}, by default the period in progress.
 *
 * <ul>
 *   <li>{@code usage?period=P}: the totals of a period with per-model and per-provider shares.</li>
 *   <li>{@code usage/daily?period=P}: requests and tokens per local day of the period.</li>
 *   <li>{@code requests?limit=N&before=INSTANT}: the newest requests held, N from 1 to 100 (default 100),
 *       older than {@code before} when given, with {@code nextBefore} for the next page.</li>
 *   <li>{@code alerts?period=P}: the alerts of the period, oldest first.</li>
 *   <li>{@code quota?tokens=N}: whether N more tokens (0 to 10^12, required) stay within the limit and the
 *       hard stop of the period in progress.</li>
 *   <li>{@code export?period=P&format=json|csv}: the period's totals and held requests as a download.</li>
 *   <li>{@code plan}: the user's plan with the period in progress.</li>
 * </ul>
 * Each invalid parameter gets 400 with an error naming it.
 */
final class UserEndpoints {

    static final String USER_PATH = "/api/v1/users/{userId}";

    /** Maximum {@code tokens} a quota check accepts. */
    static final long MAX_QUOTA_TOKENS = 1_000_000_000_000L;

    private static final String FORMAT_JSON = "json";
    private static final String FORMAT_CSV = "csv";

    private final ApiServices services;

    UserEndpoints(ApiServices services) {
        this.services = services;
    }

    void register(Javalin app) {
        get(app, "/usage", this::usage);
        get(app, "/usage/daily", this::daily);
        get(app, "/requests", this::requests);
        get(app, "/alerts", this::alerts);
        get(app, "/quota", this::quota);
        get(app, "/export", this::export);
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
        Instant now = services.clock().instant();
        ctx.json(forPeriod(() -> queries.usage(userId, ctx.queryParam("period"), now)));
    }

    private void daily(Context ctx, String userId, UsageQueries queries) {
        Instant now = services.clock().instant();
        ctx.json(forPeriod(() -> queries.daily(userId, ctx.queryParam("period"), now)));
    }

    private void plan(Context ctx, String userId, UsageQueries queries) {
        ctx.json(queries.plan(userId, services.clock().instant()));
    }

    private void requests(Context ctx, String userId, UsageQueries queries) {
        int max = RecentRequestsRecorder.MAX_RECENT_REQUESTS;
        int limit = QueryParameters.intParam(ctx, "limit", max, 1, max);
        Instant before = QueryParameters.instantParam(ctx, "before");
        ctx.json(queries.recentRequests(userId, limit, before));
    }

    private void alerts(Context ctx, String userId, UsageQueries queries) {
        Instant now = services.clock().instant();
        ctx.json(forPeriod(() -> queries.alerts(userId, ctx.queryParam("period"), now)));
    }

    private void quota(Context ctx, String userId, UsageQueries queries) {
        long tokens = QueryParameters.requiredLongParam(ctx, "tokens", 0, MAX_QUOTA_TOKENS);
        ctx.json(queries.quota(userId, tokens, services.clock().instant()));
    }

    private void export(Context ctx, String userId, UsageQueries queries) {
        String format = QueryParameters.choiceParam(ctx, "format", FORMAT_JSON, Set.of(FORMAT_JSON, FORMAT_CSV));
        Instant now = services.clock().instant();
        ExportView report = forPeriod(() -> queries.export(userId, ctx.queryParam("period"), now));

        String fileName = "usage-" + fileNamePart(userId) + "-" + report.totals().period() + "." + format;
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        if (format.equals(FORMAT_CSV)) {
            ctx.contentType("text/csv; charset=utf-8").result(UsageCsv.write(report));
        } else {
            ctx.json(report);
        }
    }

    /** Runs a query that takes a period name, turning an invalid name into 400 for {@code period}. */
    private static <T> T forPeriod(Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("period", e.getMessage());
        }
    }

    /**
     * Returns a user id fit for a quoted file name in a header: characters other than ASCII letters, digits,
     * dot, dash and underscore become underscores.
     */
    static String fileNamePart(String userId) {
        return userId.replaceAll("[^A-Za-z0-9._-]", "_");
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

    /** Serves one per-user request from queries over stores that contain the user's data. */
    @FunctionalInterface
    private interface UserHandler {

        void handle(Context ctx, String userId, UsageQueries queries) throws Exception;
    }
}
