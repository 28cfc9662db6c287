package io.tokenmonitor.processor.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The files the processor serves from its classpath to callers without a token: the dashboard page at
 * {@code /}, its assets under {@code /dashboard/}, and the OpenAPI description of the HTTP API at
 * {@value #OPENAPI_PATH}. Only the files named here are served, so no request path reaches the classpath.
 */
final class StaticResources {

    static final String OPENAPI_PATH = "/api/v1/openapi.yaml";
    static final String DASHBOARD_PATH = "/dashboard/{asset}";

    private static final String DASHBOARD_RESOURCES = "/dashboard/";
    private static final String OPENAPI_RESOURCE = "/openapi/openapi.yaml";

    /** Dashboard assets by file name, with their content types. */
    private static final Map<String, String> DASHBOARD_ASSETS = Map.of(
        "index.html", "text/html; charset=utf-8",
        "dashboard.js", "text/javascript; charset=utf-8",
        "dashboard.css", "text/css; charset=utf-8");

    void register(Javalin app) {
        app.get("/", ctx -> serve(ctx, DASHBOARD_RESOURCES + "index.html", DASHBOARD_ASSETS.get("index.html")));
        app.get(DASHBOARD_PATH, this::dashboardAsset);
        app.get(OPENAPI_PATH, ctx -> serve(ctx, OPENAPI_RESOURCE, "application/yaml"));
    }

    private void dashboardAsset(Context ctx) throws IOException {
        String asset = ctx.pathParam("asset");
        String contentType = DASHBOARD_ASSETS.get(asset);
        if (contentType == null) {
            throw new NotFoundResponse();
        }
        serve(ctx, DASHBOARD_RESOURCES + asset, contentType);
    }

    private static void serve(Context ctx, String resource, String contentType) throws IOException {
        byte[] body;
        try (InputStream in = StaticResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + resource + " is missing from the classpath");
            }
            body = in.readAllBytes();
        }
        // A script cached from an older version would call the API the wrong way after an upgrade.
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(contentType).result(body);
    }
}
