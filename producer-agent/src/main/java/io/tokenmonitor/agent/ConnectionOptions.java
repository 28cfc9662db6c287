package io.tokenmonitor.agent;

import io.tokenmonitor.kafka.KafkaClientSettings;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options that locate the Kafka cluster and the schema registry, and the Kafka client settings passed through,
 * shared by every subcommand. Their defaults come from the environment variables TOKEN_MONITOR_BOOTSTRAP_SERVERS,
 * TOKEN_MONITOR_SCHEMA_REGISTRY_URL and those of {@link KafkaOptions} when these are set.
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

    @Mixin
    KafkaOptions kafka;

    /**
     * Returns a client's settings with the pass-through settings added.
     *
     * @param clientSettings the settings the agent sets for this client
     * @param protectedSettings settings the client relies on, which the pass-through may not replace
     * @throws IllegalArgumentException if the pass-through settings are invalid or replace a protected setting
     */
    public Properties clientProperties(Properties clientSettings, Collection<String> protectedSettings) {
        KafkaClientSettings settings = kafka != null ? kafka.settings(System.getenv()) : KafkaClientSettings.none();
        return settings.applyTo(clientSettings, protectedSettings);
    }

    /** Returns a producer's settings with the pass-through settings added. */
    public Properties producerProperties(Properties producerSettings) {
        return clientProperties(producerSettings, List.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }
}
