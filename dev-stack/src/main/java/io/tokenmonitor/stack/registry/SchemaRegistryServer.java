package io.tokenmonitor.stack.registry;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that implements the subset of the Confluent Schema Registry REST API that Kafka serdes
 * and common clients use, backed by an {@link InMemorySchemaRegistry}. It is for the development stack:
 * schemas live in memory only and there is no authentication.
 *
 * <p>Endpoints (each returns {@value RegistryEndpoints#CONTENT_TYPE}):
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions}: registers a schema and returns {@code {"id": N}}.
 *   <li>{@code POST /subjects/{subject}}: looks up a schema and returns its subject, version, id and schema.
 *   <li>{@code GET /subjects}, {@code GET /subjects/{subject}/versions}: list subjects and version numbers.
 *   <li>{@code GET /subjects/{subject}/versions/{version}} with a number or {@code latest}, and
 *       {@code .../{version}/schema} for the schema alone.
 *   <li>{@code GET /schemas/ids/{id}}, {@code GET /schemas/ids/{id}/versions},
 *       {@code GET /schemas/ids/{id}/subjects}, {@code GET /schemas/types}.
 *   <li>{@code GET|PUT /config} and {@code GET|PUT|DELETE /config/{subject}} for compatibility levels.
 * </ul>
 *
 * <p>Errors are Confluent-shaped, {@code {"error_code": 40401, "message": "..."}}, with the HTTP status
 * taken from the code: 40401 to 40403 and 40408 are 404, 409 is 409, 42201 to 42203 are 422, and 50001
 * is 500. Only Avro schemas without references are accepted.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final String host;
    private final int requestedPort;
    private final InMemorySchemaRegistry registry;
    private Javalin app;
    private int boundPort = -1;

    /** Creates a server on 127.0.0.1 with an empty registry. Port 0 picks a free port on start. */
    public SchemaRegistryServer(int port) {
        this(DEFAULT_HOST, port, new InMemorySchemaRegistry());
    }

    /** Creates a server on a host and port with an empty registry. Port 0 picks a free port on start. */
    public SchemaRegistryServer(String host, int port) {
        this(host, port, new InMemorySchemaRegistry());
    }

    /** Creates a server that serves an existing registry, which callers may also use directly. */
    public SchemaRegistryServer(String host, int port, InMemorySchemaRegistry registry) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
        }
        if (registry == null) {
            throw new IllegalArgumentException("Registry must not be null");
        }
        this.host = host;
        this.requestedPort = port;
        this.registry = registry;
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server, for chaining
     * @throws IllegalStateException if the server was started before
     * @throws io.javalin.util.JavalinBindException if the port is in use
     */
    public synchronized SchemaRegistryServer start() {
        if (app != null) {
            throw new IllegalStateException("Schema Registry server was already started");
        }
        Javalin created = createApp(new RegistryEndpoints(registry));
        try {
            created.start(host, requestedPort);
        } catch (RuntimeException e) {
            created.stop();
            throw e;
        }
        app = created;
        boundPort = app.port();
        log.info("Schema Registry server started at {}", url());
        return this;
    }

    /** Returns the bound port. */
    public synchronized int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("Schema Registry server is not started");
        }
        return boundPort;
    }

    /** Returns the base URL clients use, for example {@code http://127.0.0.1:8081}. */
    public String url() {
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + port();
    }

    /** Returns the registry the server stores schemas in. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    /** Stops serving and releases the port. Closing twice, or before start, does nothing. A closed server
     * cannot be started again. */
    @Override
    public synchronized void close() {
        if (app == null || boundPort < 0) {
            return;
        }
        String stoppedUrl = url();
        app.stop();
        boundPort = -1;
        log.info("Schema Registry server at {} stopped", stoppedUrl);
    }

    private static Javalin createApp(RegistryEndpoints endpoints) {
        Javalin javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.router.mount(routing -> {
                routing.before(endpoints::checkContentType);

                routing.get("/", endpoints::root);
                routing.get("/schemas/types", endpoints::schemaTypes);
                routing.get("/schemas/ids/{id}", endpoints::schemaById);
                routing.get("/schemas/ids/{id}/versions", endpoints::versionsOfSchema);
                routing.get("/schemas/ids/{id}/subjects", endpoints::subjectsOfSchema);

                routing.get("/subjects", endpoints::subjects);
                routing.post("/subjects/{subject}", endpoints::lookup);
                routing.get("/subjects/{subject}/versions", endpoints::versions);
                routing.post("/subjects/{subject}/versions", endpoints::register);
                routing.get("/subjects/{subject}/versions/{version}", endpoints::version);
                routing.get("/subjects/{subject}/versions/{version}/schema", endpoints::versionSchema);

                routing.get("/config", endpoints::globalConfig);
                routing.put("/config", endpoints::updateGlobalConfig);
                routing.get("/config/{subject}", endpoints::subjectConfig);
                routing.put("/config/{subject}", endpoints::updateSubjectConfig);
                routing.delete("/config/{subject}", endpoints::deleteSubjectConfig);
            });
        });

        // Rejected requests are the client's problem and are logged at DEBUG only, so a misbehaving
        // client cannot flood the log.
        javalin.exception(SchemaRegistryException.class, (error, ctx) -> {
            log.debug("Schema Registry request {} {} rejected with error code {}: {}",
                ctx.method(), ctx.path(), error.errorCode(), error.getMessage());
            RegistryEndpoints.writeError(ctx, error.errorCode(), error.getMessage());
        });
        // Javalin's own rejections: no matching route (404), a body over the size limit (413), and so on.
        javalin.exception(HttpResponseException.class, (error, ctx) -> {
            log.debug("Schema Registry request {} {} rejected with HTTP {}", ctx.method(), ctx.path(),
                error.getStatus());
            RegistryEndpoints.writeError(ctx, error.getStatus(), httpErrorMessage(ctx, error));
        });
        javalin.exception(Exception.class, (error, ctx) -> {
            log.error("Schema Registry request {} {} failed", ctx.method(), ctx.path(), error);
            RegistryEndpoints.writeError(ctx, SchemaRegistryException.INTERNAL_ERROR,
                "Internal error: " + error.getClass().getSimpleName());
        });
        return javalin;
    }

    private static String httpErrorMessage(Context ctx, HttpResponseException error) {
        if (error.getStatus() == 404) {
            return "HTTP 404 Not Found: no endpoint " + ctx.method() + " " + ctx.path();
        }
        return "HTTP " + error.getStatus() + ": " + error.getMessage();
    }
}
