package io.tokenmonitor.stack;

import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token-monitor stack}: the in-process Kafka broker and Schema Registry, without processor or agent.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
    description = "Runs an in-process Kafka broker (KRaft, 127.0.0.1 only) and Schema Registry until stopped.")
final class StackCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092",
        description = "Port of the Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
        description = "Port of the Schema Registry (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--data-dir",
        description = "Directory of the broker's data, including the registry's schemas, kept across restarts "
            + "(default: a temporary directory deleted on exit).")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "3",
        description = "Partitions of each product topic created at start (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        ShutdownLatch shutdown = new ShutdownLatch();
        DevStack stack = shutdown.register(DevStack.start(kafkaPort, registryPort, dataDir, partitions));
        System.out.printf("Kafka broker     %s%nSchema Registry  %s%nPress Ctrl-C to stop.%n",
            stack.bootstrapServers(), stack.schemaRegistryUrl());
        shutdown.await();
        return 0;
    }

    /**
     * The broker and registry of the development stack, closed together. The registry stores its schemas in
     * the broker's topic {@value SchemaRegistryServer#SCHEMAS_TOPIC}, so with a kept data directory the
     * schema ids survive a restart.
     */
    record DevStack(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) implements AutoCloseable {

        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        static DevStack start(int kafkaPort, int registryPort, Path dataDir, int partitions) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(kafkaPort)
                .dataDirectory(dataDir)
                .defaultPartitions(partitions)
                .build()
                .start();
            try {
                TopicSetup.createProductTopics(broker.bootstrapServers(), partitions, (short) 1, TIMEOUT);
                return new DevStack(broker, startRegistry(registryPort, broker.bootstrapServers()));
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
