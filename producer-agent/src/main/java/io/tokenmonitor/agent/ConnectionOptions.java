package io.tokenmonitor.agent;

import picocli.CommandLine.Option;

/**
 * Options that locate the Kafka cluster and the schema registry, shared by every subcommand. Their
 * defaults come from the environment variables TOKEN_MONITOR_BOOTSTRAP_SERVERS and
 * TOKEN_MONITOR_SCHEMA_REGISTRY_URL when these are set.
 */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        defaultValue = "${env:TOKEN_MONITOR_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka brokers to connect to first, comma-separated host:port pairs "
            + "(default: ${DEFAULT-VALUE}; the environment variable TOKEN_MONITOR_BOOTSTRAP_SERVERS "
            + "sets the default).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
        defaultValue = "${env:TOKEN_MONITOR_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
        description = "Base URL of the Confluent-compatible schema registry "
            + "(default: ${DEFAULT-VALUE}; the environment variable TOKEN_MONITOR_SCHEMA_REGISTRY_URL "
            + "sets the default).")
    String schemaRegistryUrl;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }
}
