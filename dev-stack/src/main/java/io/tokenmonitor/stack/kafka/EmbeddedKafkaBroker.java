package io.tokenmonitor.stack.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft node that is both broker and controller, listening only
 * on 127.0.0.1. Clients connect to {@link #bootstrapServers()} after {@link #start()} returns.
 *
 * <p>Without a data directory the broker stores its logs in a new temporary directory that {@link #close()}
 * deletes. With one, the directory is formatted on the first start only, so topics, records and committed offsets
 * survive restarts.
 *
 * <p>NOTE: Kafka stops the process (through {@code org.apache.kafka.common.utils.Exit}) on some fatal metadata
 * errors, and in this JVM that also stops the caller.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    static final int NODE_ID = 1;
    static final String HOST = "127.0.0.1";

    /** Broker settings that this class derives from its options and that extra properties may not override. */
    static final Set<String> MANAGED_PROPERTIES = Set.of(
        "process.roles", "node.id", "listeners", "advertised.listeners", "listener.security.protocol.map",
        "controller.listener.names", "inter.broker.listener.name", "controller.quorum.voters",
        "controller.quorum.bootstrap.servers", "log.dirs", "log.dir", "metadata.log.dir");

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private enum State { NEW, RUNNING, CLOSED }

    private final int requestedPort;
    private final Path requestedDataDirectory;
    private final int defaultPartitions;
    private final Map<String, String> extraProperties;
    private final Duration startTimeout;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private Path dataDirectory;
    private boolean temporaryDataDirectory;
    private int port;
    private String clusterId;

    private EmbeddedKafkaBroker(Builder builder) {
        this.requestedPort = builder.port;
        this.requestedDataDirectory = builder.dataDirectory;
        this.defaultPartitions = builder.defaultPartitions;
        this.extraProperties = Map.copyOf(builder.brokerProperties);
        this.startTimeout = builder.startTimeout;
    }

    /** Returns a builder with the defaults: a free port, a temporary data directory and 1 partition per topic. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it responds to a
     * describe-cluster request.
     *
     * @return this broker, for chaining
     * @throws IllegalStateException when the broker was already started or closed, or failed to start
     * @throws UncheckedIOException when the data directory cannot be created or formatted
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("The Kafka broker was already " + state.name().toLowerCase()
                + ". Create a new EmbeddedKafkaBroker to start another one.");
        }
        state = State.RUNNING;
        long startNanos = System.nanoTime();
        try {
            prepareDataDirectory();
            port = requestedPort == 0 ? findFreePort() : requestedPort;
            int controllerPort = findFreePort();
            Map<String, String> properties = brokerProperties(controllerPort);

            clusterId = KafkaStorage.formatIfNeeded(dataDirectory, properties);
            server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
            startServer();
            awaitReady(startNanos);
        } catch (IOException e) {
            closeAfterFailedStart();
            throw new UncheckedIOException("Preparing the Kafka data directory " + dataDirectory + " failed", e);
        } catch (RuntimeException e) {
            closeAfterFailedStart();
            throw e;
        }

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        log.info("Kafka broker started on {} in {} ms (cluster id {}, data directory {}{})",
            bootstrapServers(), elapsedMs, clusterId, dataDirectory,
            temporaryDataDirectory ? ", deleted on close" : "");
        return this;
    }

    /** Returns the address clients use to connect, "127.0.0.1:PORT". */
    public synchronized String bootstrapServers() {
        requireRunning();
        return HOST + ":" + port;
    }

    /** Returns the port of the PLAINTEXT listener, which start() picks when the builder's port is 0. */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    /** Returns the directory that contains the broker's logs and metadata. */
    public synchronized Path dataDirectory() {
        requireRunning();
        return dataDirectory;
    }

    /** Returns the KRaft cluster id, stored in the data directory when it was formatted. */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    /**
     * Shuts the broker down, waits until it has stopped and deletes a temporary data directory. Calling it again
     * does nothing.
     *
     * @throws UncheckedIOException when the temporary data directory cannot be deleted
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        if (!wasRunning) {
            return;
        }

        long stopNanos = System.nanoTime();
        shutDownServer();
        deleteTemporaryDataDirectory();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos);
        log.info("Kafka broker on {} stopped in {} ms", HOST + ":" + port, elapsedMs);
    }

    private void prepareDataDirectory() throws IOException {
        if (requestedDataDirectory == null) {
            dataDirectory = Files.createTempDirectory("token-monitor-kafka-");
            temporaryDataDirectory = true;
        } else {
            dataDirectory = requestedDataDirectory.toAbsolutePath();
            Files.createDirectories(dataDirectory);
        }
    }

    private Map<String, String> brokerProperties(int controllerPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        // A static voter set, rather than a quorum formatted with --standalone, stores no controller address in
        // the data directory, so the controller may get another free port after a restart.
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String plaintextListener = "PLAINTEXT://" + HOST + ":" + port;
        properties.put("listeners", plaintextListener + ",CONTROLLER://" + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", plaintextListener);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("log.dirs", dataDirectory.toString());

        // One node can hold only one replica, so every internal topic gets replication factor 1 and min.isr 1.
        // Exactly-once needs the transaction state topic, so these values are not optional.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("min.insync.replicas", "1");
        properties.put("default.replication.factor", "1");

        properties.put("num.partitions", Integer.toString(defaultPartitions));
        properties.put("auto.create.topics.enable", "false");
        // The first consumer group and Kafka Streams group would otherwise wait 3 s for more members.
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("group.streams.initial.rebalance.delay.ms", "0");

        properties.putAll(extraProperties);
        return properties;
    }

    private void startServer() {
        try {
            server.startup();
        } catch (RuntimeException e) {
            Throwable rootCause = e;
            while (rootCause.getCause() != null && rootCause.getCause() != rootCause) {
                rootCause = rootCause.getCause();
            }
            String hint = rootCause instanceof BindException
                ? " Choose another port, or use port 0 to pick a free one."
                : " See the broker's ERROR log lines above.";
            throw new IllegalStateException("Starting the Kafka broker on " + HOST + ":" + port + " failed: "
                + rootCause.getMessage() + "." + hint, e);
        }
    }

    private void awaitReady(long startNanos) {
        long remainingMs = startTimeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (remainingMs <= 0) {
            throw startTimedOut(null);
        }

        // The admin client rejects a default API timeout below the request timeout, so both get the time left.
        int remainingIntMs = (int) Math.min(Integer.MAX_VALUE, remainingMs);
        Map<String, Object> adminConfig = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, remainingIntMs,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingIntMs);
        Admin admin = Admin.create(adminConfig);
        try {
            DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(remainingIntMs);
            Collection<Node> nodes = admin.describeCluster(options).nodes().get(remainingMs, TimeUnit.MILLISECONDS);
            boolean thisNodeListed = nodes.stream().anyMatch(node -> node.id() == NODE_ID);
            if (!thisNodeListed) {
                throw new IllegalStateException("The Kafka broker on " + bootstrapServers()
                    + " started, but describe-cluster did not list node " + NODE_ID + ": " + nodes);
            }
        } catch (TimeoutException e) {
            throw startTimedOut(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw startTimedOut(e.getCause());
            }
            throw new IllegalStateException("The Kafka broker on " + bootstrapServers()
                + " failed to respond to describe-cluster: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
        } finally {
            admin.close(TopicSetup.ADMIN_CLOSE_TIMEOUT);
        }
    }

    private IllegalStateException startTimedOut(Throwable cause) {
        return new IllegalStateException("The Kafka broker on " + bootstrapServers() + " did not respond to a"
            + " describe-cluster request within " + startTimeout.toMillis() + " ms of starting. Raise the start"
            + " timeout, or check the broker's WARN and ERROR log lines and the data directory " + dataDirectory,
            cause);
    }

    private void closeAfterFailedStart() {
        state = State.CLOSED;
        try {
            shutDownServer();
            deleteTemporaryDataDirectory();
        } catch (RuntimeException e) {
            log.warn("Cleaning up after the Kafka broker failed to start also failed", e);
        }
    }

    private void shutDownServer() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private void deleteTemporaryDataDirectory() {
        if (!temporaryDataDirectory || dataDirectory == null) {
            return;
        }
        try {
            KafkaStorage.deleteRecursively(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting the temporary Kafka data directory " + dataDirectory
                + " failed", e);
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING || server == null) {
            throw new IllegalStateException("The Kafka broker is not running. Call start() first.");
        }
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago.
     *
     * <p>NOTE: another process may take the port before the broker binds it, and the start then fails with a bind
     * error.
     */
    private static int findFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** Options of an {@link EmbeddedKafkaBroker}. */
    public static final class Builder {

        private int port;
        private Path dataDirectory;
        private int defaultPartitions = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Sets the port of the PLAINTEXT listener on 127.0.0.1. The default, 0, picks a free port at start. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Invalid broker port " + port + ". Use 0 to 65535.");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the directory for the broker's logs and metadata, kept after close and reused on the next start.
         * Use a directory for this broker alone. Null, the default, uses a temporary directory deleted on close.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** Sets the partition count of topics created without one ({@code num.partitions}). The default is 1. */
        public Builder defaultPartitions(int defaultPartitions) {
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("Invalid default partition count " + defaultPartitions
                    + ". Use 1 or more.");
            }
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /**
         * Adds a broker setting, which overrides this class's default for the same key.
         *
         * @throws IllegalArgumentException for listener, role, quorum and directory settings, which this class
         *     derives from its options
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (MANAGED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("The broker setting " + key + " is set by EmbeddedKafkaBroker"
                    + " itself. Use the builder's port or dataDirectory instead.");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** Adds every entry as with {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Sets how long {@link #start()} waits for the broker to respond. The default is 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("Invalid start timeout " + startTimeout + ". Use a positive one.");
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /** Returns a broker with these options, not yet started. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
