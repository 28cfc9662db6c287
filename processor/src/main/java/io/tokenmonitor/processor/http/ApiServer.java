package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.tokenmonitor.processor.lifecycle.HealthReport;
import io.tokenmonitor.processor.lifecycle.Liveness;
import io.tokenmonitor.processor.metrics.ProcessingCounters;
import io.tokenmonitor.processor.metrics.ProcessorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one processor instance, served from its local state stores. Every response is JSON
 * except the dashboard files and the OpenAPI file.
 *
 * <ul>
 *   <li>{@code GET /}: the dashboard page (HTML), with its assets under {@code /dashboard/}.</li>
 *   <li>{@code GET /api/v1/openapi.yaml}: the OpenAPI 3.0 description of this API.</li>
 *   <li>{@code GET /api/v1}: a JSON index of the endpoints.</li>
 *   <li>{@code GET /api/v1/users/{userId}/usage[?period=YYYY-MM-DD|YYYY-MM]}: the user's totals in a
 *       billing period of the user's plan, by default the one in progress; 400 for a malformed period or
 *       a date no period starts on.</li>
 *   <li>{@code GET /api/v1/users/{userId}/plan}: the user's plan, or the default plan, with the period in
 *       progress.</li>
 *   <li>{@code GET /api/v1/users/{userId}/requests[?limit=N]}: the user's newest requests, N from 1 to 100
 *       (default 100); 400 for another N.</li>
 *   <li>{@code GET /api/v1/stats}: dead-lettered records per reason since this instance started.</li>
 *   <li>{@code GET /api/v1/whoami}: the caller the bearer token identifies, {@code {role, userId}}.</li>
 *   <li>{@code GET /health}: liveness, 200 unless Kafka Streams is in ERROR, PENDING_ERROR, PENDING_SHUTDOWN or
 *       NOT_RUNNING, then 503 (see {@link Liveness}).</li>
 *   <li>{@code GET /ready}: readiness, 200 when the instance's stores are up to date, else 503 with the reason
 *       (see {@link io.tokenmonitor.processor.lifecycle.StreamsReadiness}).</li>
 *   <li>{@code GET /metrics}: the instance's metrics in the Prometheus text format.</li>
 * </ul>
 * Every path under {@code /api/v1} except {@value StaticResources#OPENAPI_PATH} needs a bearer token, checked by
 * {@link AccessControl#authenticate}: 401 with {@code WWW-Authenticate: Bearer} without a valid one, 403
 * when the token does not grant the data. {@code /}, {@code /health}, {@code /ready} and {@code /metrics} are open.
 * While the stores are not queryable (start-up, rebalance) the usage endpoints return 503 with
 * {@code Retry-After}.
 *
 * <p>Every error response is an {@link ApiError} in JSON, including those Jetty writes itself (see
 * {@link JsonErrorHandler}). Another method on an existing path returns 405 with an {@code Allow} header, and
 * an unknown path 404. HEAD runs the GET handler, so it returns the same status and headers without a body.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String RETRY_AFTER_SECONDS = "1";

    /** Size of the buffer Javalin copies each response body through. Larger bodies take several copies. */
    static final int RESPONSE_COPY_BUFFER_BYTES = 4096;

    private final ApiServices services;
    private final List<HandlerMetaInfo> routes = new ArrayList<>();
    private final ProcessorMetrics metrics;
    private final boolean ownsMetrics;
    private final Javalin app;

    /** Creates a server whose {@code /metrics} has only its own HTTP and dead-letter metrics. For tests. */
    public ApiServer(ApiServices services) {
        this(services, new ProcessorMetrics(services.rejections(), new ProcessingCounters()), true);
    }

    /** Creates a server that records its request latencies in {@code metrics} and serves them at /metrics. */
    public ApiServer(ApiServices services, ProcessorMetrics metrics) {
        this(services, metrics, false);
    }

    private ApiServer(ApiServices services, ProcessorMetrics metrics, boolean ownsMetrics) {
        this.services = services;
        this.metrics = metrics;
        this.ownsMetrics = ownsMetrics;
        this.app = createApp();
    }

    /** Starts listening and returns the bound port, which differs from {@code port} when that is 0. */
    public int start(String host, int port) {
        app.start(host, port);
        int boundPort = app.port();
        LOG.info("HTTP API listening on http://{}:{}/", host, boundPort);
        return boundPort;
    }

    @Override
    public void close() {
        app.stop();
        if (ownsMetrics) {
            metrics.close();
        }
        LOG.info("HTTP API stopped");
    }

    private Javalin createApp() {
        ObjectMapper mapper = new ObjectMapper();
        JsonErrorHandler errorHandler = new JsonErrorHandler(mapper);
        Javalin javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            // Javalin 6.7 allocates a copy buffer of this size for every response, by default Jetty's whole 32 KB
            // output buffer. Usage responses are about 1 KB, and Jetty's output buffer still collects the chunks.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            // Jetty uses the context's error handler for requests that reached the servlet, the server's for others.
            config.jetty.modifyServer(server -> server.setErrorHandler(errorHandler));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errorHandler));
            config.events(events -> events.handlerAdded(handler -> {
                // The HEAD routes added by addHeadRoutes mirror GET routes, so they are not listed.
                if (handler.getHttpMethod().isHttpMethod() && handler.getHttpMethod() != HandlerType.HEAD) {
                    routes.add(handler);
                }
            }));
            config.requestLogger.http(this::recordLatency);
        });

        javalin.before("/api/v1", ctx -> {
            QueryParameters.requireValidEncoding(ctx);
            services.access().authenticate(ctx);
        });
        javalin.before("/api/v1/*", ctx -> {
            QueryParameters.requireValidEncoding(ctx);
            if (!ctx.path().equals(StaticResources.OPENAPI_PATH)) {
                services.access().authenticate(ctx);
            }
        });
        javalin.get("/api/v1", this::index);
        new StaticResources().register(javalin);
        javalin.get("/health", ctx -> respond(ctx, Liveness.check(services.streamsState().get())));
        javalin.get("/ready", ctx -> respond(ctx, services.readiness().check()));
        javalin.get("/metrics", ctx -> ctx.contentType(ProcessorMetrics.CONTENT_TYPE).result(metrics.scrape()));
        new UserEndpoints(services).register(javalin);
        new AdminEndpoints(services).register(javalin);
        new AccessEndpoints(services).register(javalin);
        addHeadRoutes(javalin);

        javalin.exception(BadRequestException.class, (e, ctx) ->
            ctx.status(400).json(new ApiError(400, e.getMessage(), e.parameter())));
        javalin.exception(AccessDeniedException.class, (e, ctx) -> {
            if (e.authenticateHeader() != null) {
                ctx.header("WWW-Authenticate", e.authenticateHeader());
            }
            ctx.status(e.status()).json(new ApiError(e.status(), e.getMessage(), null));
        });
        javalin.exception(InvalidStateStoreException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            ctx.status(503).json(new ApiError(503,
                "State stores are not queryable yet (starting or rebalancing); retry shortly", null));
        });
        javalin.exception(UnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            ctx.status(503).json(new ApiError(503, e.getMessage(), null));
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("HTTP {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new ApiError(500, "Internal error: " + e.getClass().getSimpleName(), null));
        });
        javalin.error(404, this::notFoundOrMethodNotAllowed);
        return javalin;
    }

    /**
     * Registers a HEAD route with the handler of every GET route. Without it Javalin 6.7 returns 200 with
     * {@code text/plain} for HEAD on any path with a GET route, without running the handler, so HEAD skipped
     * the 403 for another user's data, parameter validation and the 503 while stores are unavailable. HTTP
     * defines HEAD as GET without the body, with the same status and headers, and Jetty drops the body of a
     * HEAD response.
     */
    private void addHeadRoutes(Javalin javalin) {
        for (HandlerMetaInfo route : List.copyOf(routes)) {
            if (route.getHttpMethod() == HandlerType.GET) {
                javalin.head(route.getPath(), route.getHandler());
            }
        }
    }

    /**
     * Turns Javalin's 404 into 405 with an {@code Allow} header when a route matches the path under another
     * method. A 404 for a path and method that do match, such as a missing dashboard asset, stays 404.
     */
    private void notFoundOrMethodNotAllowed(Context ctx) {
        if (ctx.method() == HandlerType.INVALID) {
            // Javalin names every method it does not know INVALID, and HTTP's status for an unknown method is 501.
            ctx.status(501).json(new ApiError(501, "Unknown HTTP method. This API supports GET and HEAD", null));
            return;
        }
        Set<String> allowed = allowedMethods(ctx.path());
        String method = ctx.method().name();
        if (allowed.isEmpty() || allowed.contains(method)) {
            ctx.json(new ApiError(404, "No endpoint " + method + " " + ctx.path(), null));
            return;
        }
        String allowHeader = String.join(", ", allowed);
        ctx.header("Allow", allowHeader);
        ctx.status(405).json(new ApiError(405,
            "Method " + method + " is not allowed on " + ctx.path() + "; use " + allowHeader, null));
    }

    /** Returns the methods of the routes whose template matches {@code path}, HEAD included wherever GET is. */
    private Set<String> allowedMethods(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (HandlerMetaInfo route : routes) {
            if (matchesTemplate(route.getPath(), path)) {
                methods.add(route.getHttpMethod().name());
                if (route.getHttpMethod() == HandlerType.GET) {
                    methods.add(HandlerType.HEAD.name());
                }
            }
        }
        return methods;
    }

    /** Matches a path against a route template, where each {@code {name}} segment matches one non-empty segment. */
    static boolean matchesTemplate(String template, String path) {
        String[] templateSegments = template.split("/", -1);
        String[] pathSegments = path.split("/", -1);
        if (templateSegments.length != pathSegments.length) {
            return false;
        }
        for (int i = 0; i < templateSegments.length; i++) {
            String expected = templateSegments[i];
            boolean parameter = expected.startsWith("{") && expected.endsWith("}");
            if (parameter ? pathSegments[i].isEmpty() : !expected.equals(pathSegments[i])) {
                return false;
            }
        }
        return true;
    }

    /** Returns every registered route as "METHOD path", for example "GET /api/v1/users/{userId}/usage". */
    List<String> routes() {
        List<String> names = new ArrayList<>();
        for (HandlerMetaInfo route : routes) {
            names.add(route.getHttpMethod() + " " + route.getPath());
        }
        return names;
    }

    private void index(Context ctx) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("dashboard", "/");
        endpoints.put("openapi", StaticResources.OPENAPI_PATH);
        endpoints.put("usage", "/api/v1/users/{userId}/usage?period=YYYY-MM");
        endpoints.put("requests", "/api/v1/users/{userId}/requests?limit=N");
        endpoints.put("plan", "/api/v1/users/{userId}/plan");
        endpoints.put("stats", "/api/v1/stats");
        endpoints.put("whoami", "/api/v1/whoami");
        endpoints.put("health", "/health");
        endpoints.put("ready", "/ready");
        endpoints.put("metrics", "/metrics");
        ctx.json(Map.of("service", "token-monitor", "endpoints", endpoints));
    }

    /** Records a finished request under its route template, which unlike the path contains no user id. */
    private void recordLatency(Context ctx, Float executionTimeMs) {
        Boolean forwarded = ctx.attribute(StreamsQueryRouter.FORWARDED_ATTRIBUTE);
        String endpoint;
        try {
            endpoint = ctx.endpointHandlerPath();
        } catch (IllegalStateException e) {
            // Javalin 6 throws when a before-handler ended the request, so no endpoint was matched.
            endpoint = ProcessorMetrics.UNMATCHED_ENDPOINT;
        }
        metrics.recordHttpRequest(endpoint, Boolean.TRUE.equals(forwarded), ctx.statusCode(),
            Duration.ofNanos((long) (executionTimeMs * 1_000_000.0)));
    }

    private static void respond(Context ctx, HealthReport report) {
        ctx.status(report.isHealthy() ? 200 : 503).json(report);
    }
}
