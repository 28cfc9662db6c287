package io.tokenmonitor.stack;

import picocli.CommandLine.Option;

/**
 * Options of the in-process broker and registry, shared by the demo and stack commands.
 */
final class StackOptions {

    @Option(names = "--kafka-port", defaultValue = "${env:TOKEN_MONITOR_KAFKA_PORT:-9092}",
        description = "Port of the Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "${env:TOKEN_MONITOR_REGISTRY_PORT:-8081}",
        description = "Port of the Schema Registry (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--partitions", defaultValue = "${env:TOKEN_MONITOR_PARTITIONS:-3}",
        description = "Partitions of each product topic created at start (default: ${DEFAULT-VALUE}).")
    int partitions;
}
