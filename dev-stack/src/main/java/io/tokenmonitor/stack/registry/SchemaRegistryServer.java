package io.tokenmonitor.stack.registry;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.registry.SchemaRegistryException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that implements the subset of the Confluent Schema Registry REST API that Kafka serdes
 * and common clients use, backed by an {@link InMemorySchemaRegistry}. It is for the development stack,
 * and there is no authentication. A server made by {@link #withKafkaStore} stores every change in the
 * compacted topic {@value #SCHEMAS_TOPIC} before the request succeeds, and restores that topic when it is
 * created, so schema ids survive a restart. A server made by a constructor keeps its schemas in memory only.
 *
 * <p>Endpoints (each returns {@value RegistryEndpoints#CONTENT_TYPE}):
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions}: registers a schema and returns {@code {"id": N}}.
 *   <li>{@code POST /subjects/{subject}}: looks up a schema and returns its subject, version, id and schema.
 *   <li>{@code GET /subjects}, {@code GET /subjects/{subject}/versions}: list subjects and version numbers.
 *   <li>{@code GET /subjects/{subject}/versions/{version}} with a number or {@code latest}, and
 *       {@code .../{version}/schema} for the schema alone.
 *   <li>{@code DELETE /subjects/{subject}} returns the deleted version numbers, and
 *       {@code DELETE /subjects/{subject}/versions/{version}} the deleted version number. Both soft-delete,
 *       and with {@code ?permanent=true} remove what was soft-deleted before.
 *   <li>{@code POST /compatibility/subjects/{subject}/versions} and {@code .../versions/{version}} return
 *       {@code {"is_compatible": true}}, with {@code ?verbose=true} also a {@code messages} array.
 *   <li>{@code GET /schemas/ids/{id}}, which also finds soft-deleted schemas, {@code GET
 *       /schemas/ids/{id}/versions}, {@code GET /schemas/ids/{id}/subjects}, {@code GET /schemas/types}.
 *   <li>{@code ?deleted=true} on the subject, version and schema-id listings and lookups includes
 *       soft-deleted versions.
 *   <li>{@code GET|PUT /config} and {@code GET|PUT|DELETE /config/{subject}} for compatibility levels.
 * </ul>
 *
 * <p>Errors are Confluent-shaped, {@code {"error_code": 40401, "message": "..."}}, with the HTTP status
 * taken from the code: 40401 to 40408 are 404, 409 is 409, 42201 to 42203 are 422, and 50001
 * is 500. Only Avro schemas without references are accepted.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The topic in which a server made by {@link #withKafkaStore} stores its schemas and levels. */
    public static final String SCHEMAS_TOPIC = KafkaSchemaJournal.TOPIC;

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final String host;
    private final int requestedPort;
    private final InMemorySchemaRegistry registry;
    /** The journal the registry writes to, which this server closes, or null for a memory-only server. */
    private final KafkaSchemaJournal journal;
    private Javalin app;
    private int boundPort = -1;
    private boolean closed;

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
        this(host, port, registry, null);
    }

    private SchemaRegistryServer(String host, int port, InMemorySchemaRegistry registry,
                                 KafkaSchemaJournal journal) {
        requireHostAndPort(host, port);
        if (registry == null) {
            throw new IllegalArgumentException("Registry must not be null");
        }
        this.host = host;
        this.requestedPort = port;
        this.registry = registry;
        this.journal = journal;
    }

    /**
     * Creates a server whose registry is stored in the topic {@value #SCHEMAS_TOPIC} on a Kafka cluster. The
     * topic is created if missing, with one partition and {@code cleanup.policy=compact}, and is read from
     * the beginning to its end, so the registry starts with the ids, versions and levels stored before.
     * Each later change is written to the topic with {@code acks=all} before the request succeeds. If the
     * write fails, the request fails with error code 50001 and the registry is not changed.
     *
     * @param replicationFactor the replication factor of the topic if this call creates it
     * @param timeout the time limit for creating and reading the topic, and for each later write
     * @throws IllegalStateException if the topic cannot be created or read within {@code timeout}, exists
     *     with more than one partition or without compaction, or contains a record that cannot be restored
     */
    public static SchemaRegistryServer withKafkaStore(String host, int port, String bootstrapServers,
                                                      short replicationFactor, Duration timeout) {
        requireHostAndPort(host, port);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Bootstrap servers must not be empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Invalid timeout " + timeout + ". Use a positive one");
        }

        KafkaSchemaJournal journal = KafkaSchemaJournal.open(bootstrapServers, replicationFactor, timeout);
        try {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry(journal);
            SchemasTopicLoader.load(bootstrapServers, registry, timeout);
            return new SchemaRegistryServer(host, port, registry, journal);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server, for chaining
     * @throws IllegalStateException if the server was started or closed before
     * @throws io.javalin.util.JavalinBindException if the port is in use
     */
    public synchronized SchemaRegistryServer start() {
        if (closed) {
            throw new IllegalStateException("Schema Registry server was already closed");
        }
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

    /**
     * Stops serving, releases the port and closes the connection to the schemas topic, if any. Closing
     * twice does nothing. A closed server cannot be started again.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (app != null && boundPort >= 0) {
            String stoppedUrl = url();
            app.stop();
            boundPort = -1;
            log.info("Schema Registry server at {} stopped", stoppedUrl);
        }
        if (journal != null) {
            journal.close();
        }
    }

    private static void requireHostAndPort(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
        }
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
                routing.delete("/subjects/{subject}", endpoints::deleteSubject);
                routing.delete("/subjects/{subject}/versions/{version}", endpoints::deleteVersion);

                routing.post("/compatibility/subjects/{subject}/versions", endpoints::checkCompatibility);
                routing.post("/compatibility/subjects/{subject}/versions/{version}",
                    endpoints::checkCompatibilityWithVersion);

                routing.get("/config", endpoints::globalConfig);
                routing.put("/config", endpoints::updateGlobalConfig);
                routing.get("/config/{subject}", endpoints::subjectConfig);
                routing.put("/config/{subject}", endpoints::updateSubjectConfig);
                routing.delete("/config/{subject}", endpoints::deleteSubjectConfig);
            });
        });

        // Rejected requests are the client's problem and are logged at DEBUG only, so a misbehaving
        // client cannot flood the log. A failed write to the schemas topic is the server's problem.
        javalin.exception(SchemaRegistryException.class, (error, ctx) -> {
            if (error.errorCode() == SchemaRegistryException.INTERNAL_ERROR) {
                // The message names the cause, so one line per failure is enough.
                log.error("Schema Registry request {} {} failed: {}", ctx.method(), ctx.path(), error.getMessage());
                RegistryEndpoints.writeError(ctx, error.errorCode(), error.getMessage());
                return;
            }
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
