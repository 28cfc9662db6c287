package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.validation.RequestValidator;
import java.util.List;
import java.util.Map;

/**
 * The endpoints that read across users. Only the admin may call them.
 *
 * <ul>
 *   <li>{@code /api/v1/usage/top?period=P&limit=N}: the users with the most tokens in a period, N from 1 to
 *       1000 (default 10); P a start date {@code YYYY-MM-DD} or a month {@code YYYY-MM}, by default the
 *       period in progress of the default plan.</li>
 *   <li>{@code /api/v1/users?prefix=S&limit=N}: user ids starting with S, sorted, N from 1 to 1000 (default
 *       100), with {@code truncated} true when more matched.</li>
 *   <li>{@code /api/v1/stats}: dead-lettered records per reason since this instance started.</li>
 * </ul>
 */
final class AdminEndpoints {

    static final int MAX_LIST_LIMIT = 1000;
    static final int DEFAULT_TOP_LIMIT = 10;
    static final int DEFAULT_USERS_LIMIT = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiServices services;

    AdminEndpoints(ApiServices services) {
        this.services = services;
    }

    void register(Javalin app) {
        app.get("/api/v1/usage/top", this::topUsers);
        app.get("/api/v1/users", this::users);
        app.get("/api/v1/stats", this::stats);
    }

    /**
     * Both lists are gathered from every instance, each reading its own stores for {@code scope=local}. They are
     * merged here, see {@link InstanceGatherer}.
     */
    private void topUsers(Context ctx) throws InterruptedException {
        services.access().requireAdmin(ctx);
        int limit = QueryParameters.intParam(ctx, "limit", DEFAULT_TOP_LIMIT, 1, MAX_LIST_LIMIT);
        String period = ctx.queryParam("period");
        UsageQueries queries = services.queries().apply(services.localStores());
        List<JsonNode> answers;
        try {
            answers = services.gatherer().gather(ctx,
                () -> JSON.valueToTree(queries.topUsers(period, limit, services.clock().instant())));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("period", e.getMessage());
        }
        ctx.json(AdminAnswers.mergeTopUsers(answers, limit));
    }

    private void users(Context ctx) throws InterruptedException {
        services.access().requireAdmin(ctx);
        int limit = QueryParameters.intParam(ctx, "limit", DEFAULT_USERS_LIMIT, 1, MAX_LIST_LIMIT);
        String prefix = QueryParameters.textParam(ctx, "prefix", RequestValidator.MAX_ID_LENGTH);
        UsageQueries queries = services.queries().apply(services.localStores());
        List<JsonNode> answers = services.gatherer().gather(ctx, () -> JSON.valueToTree(queries.users(prefix, limit)));
        ctx.json(AdminAnswers.mergeUserLists(answers, limit));
    }

    private void stats(Context ctx) {
        services.access().requireAdmin(ctx);
        ctx.json(Map.of(
            "deadLetteredSinceStart", services.rejections().snapshot(),
            "duplicatesSinceStart", services.rejections().duplicates()));
    }
}
