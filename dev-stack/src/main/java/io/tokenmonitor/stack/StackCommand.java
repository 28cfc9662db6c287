package io.tokenmonitor.stack;

import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code token-monitor stack}: the in-process Kafka broker and Schema Registry, without processor or agent.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
    description = "Runs an in-process Kafka broker (KRaft, 127.0.0.1 only) and Schema Registry until stopped.")
final class StackCommand implements Callable<Integer> {

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--data-dir", defaultValue = "${env:TOKEN_MONITOR_DATA_DIR}",
        description = "Directory of the broker's data, including the registry's schemas, kept across restarts "
            + "(default: a temporary directory deleted on exit; environment variable TOKEN_MONITOR_DATA_DIR).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        ShutdownLatch shutdown = ShutdownLatch.onSignals();
        DevStack stack = shutdown.register("Schema Registry and Kafka broker", DevStack.start(stackOptions, dataDir));
        System.out.printf("Kafka broker     %s%nSchema Registry  %s%nPress Ctrl-C to stop.%n",
            stack.bootstrapServers(), stack.schemaRegistryUrl());
        return shutdown.awaitAndClose();
    }

    /**
     * The broker and registry of the development stack, closed together. The registry stores its schemas in
     * the broker's topic {@value SchemaRegistryServer#SCHEMAS_TOPIC}, so with a kept data directory the
     * schema ids survive a restart.
     */
    record DevStack(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) implements AutoCloseable {

        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        static DevStack start(StackOptions options, Path dataDir) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(options.kafkaPort)
                .dataDirectory(dataDir)
                .defaultPartitions(options.partitions)
                .build()
                .start();
            try {
                TopicSetup.createProductTopics(broker.bootstrapServers(), options.partitions, (short) 1, TIMEOUT);
                return new DevStack(broker, startRegistry(options.registryPort, broker.bootstrapServers()));
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }

        private static SchemaRegistryServer startRegistry(int registryPort, String bootstrapServers) {
            SchemaRegistryServer registry = SchemaRegistryServer.withKafkaStore(SchemaRegistryServer.DEFAULT_HOST,
                registryPort, bootstrapServers, (short) 1, TIMEOUT);
            try {
                return registry.start();
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }

        String bootstrapServers() {
            return broker.bootstrapServers();
        }

        String schemaRegistryUrl() {
            return registry.url();
        }

        @Override
        public void close() {
            registry.close();
            broker.close();
        }
    }
}
