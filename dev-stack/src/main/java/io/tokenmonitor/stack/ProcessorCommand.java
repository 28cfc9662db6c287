package io.tokenmonitor.stack;

import io.tokenmonitor.agent.KafkaOptions;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code token-monitor processor}: one processor instance against an existing Kafka cluster and registry. On
 * SIGTERM or Ctrl-C it stops the HTTP API, closes Kafka Streams (commit, flush, leave the group) and exits with 0.
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = "Runs one processor instance (Kafka Streams topology and HTTP API) until stopped.")
final class ProcessorCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:TOKEN_MONITOR_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka bootstrap servers, host:port[,host:port] (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url",
        defaultValue = "${env:TOKEN_MONITOR_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
        description = "Schema Registry base URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = "--http-port", defaultValue = "${env:TOKEN_MONITOR_HTTP_PORT:-8080}",
        description = "Port of the HTTP API, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--state-dir", defaultValue = "${env:TOKEN_MONITOR_STATE_DIR}",
        description = "Directory of this instance's state stores (default: <tmp>/token-monitor-state; "
            + "environment variable TOKEN_MONITOR_STATE_DIR).")
    Path stateDir;

    @Option(names = "--ready-max-lag", defaultValue = "${env:TOKEN_MONITOR_READY_MAX_LAG:-1000}",
        description = "Largest lag, in records of the input partitions this instance owns, at which GET /ready "
            + "reports the instance ready (default: ${DEFAULT-VALUE}).")
    long readyMaxLag;

    @Mixin
    PlanOptions planOptions;

    @Mixin
    EstimationOptions estimationOptions;

    @Mixin
    RocksDbOptions rocksDbOptions;

    @Mixin
    ClusterOptions clusterOptions;

    @Mixin
    TokenOptions tokenOptions;

    @Mixin
    KafkaOptions kafkaOptions;

    @Option(names = "--application-id", defaultValue = "${env:TOKEN_MONITOR_APPLICATION_ID:-token-monitor}",
        description = "Kafka Streams application id, shared by all instances of a deployment "
            + "(default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = clusterOptions.applyTo(estimationOptions.applyTo(planOptions.applyTo(
            ProcessorConfig.defaults()
                .withBootstrapServers(bootstrapServers)
                .withSchemaRegistryUrl(schemaRegistryUrl)
                .withHttpPort(httpPort)
                .withApplicationId(applicationId)
                .withReadyMaxInputLag(readyMaxLag)
                .withKafkaSettings(kafkaOptions.settings(System.getenv())))));
        config = rocksDbOptions.applyTo(config);
        if (stateDir != null) {
            config = config.withStateDir(stateDir);
        }
        // Without an admin token the API could not be used, so the processor does not start.
        ApiTokens tokens = tokenOptions.load(System.getenv());

        ShutdownLatch shutdown = ShutdownLatch.onSignals();
        TokenMonitorProcessor processor = shutdown.register("processor",
            TokenMonitorProcessor.start(config, new RestSchemaRegistryClient(schemaRegistryUrl), tokens));
        System.out.printf("Processor running; HTTP API on http://%s:%d/. Press Ctrl-C to stop.%n",
            config.httpHost(), processor.httpPort());
        return shutdown.awaitAndClose();
    }
}
