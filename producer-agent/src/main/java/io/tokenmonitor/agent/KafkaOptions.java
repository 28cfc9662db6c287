package io.tokenmonitor.agent;

import io.tokenmonitor.kafka.KafkaClientSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Kafka client settings passed through to every Kafka client of a command, such as security settings. See
 * {@link KafkaClientSettings} for the sources and which one wins.
 */
public final class KafkaOptions {

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
        description = "Kafka client setting passed to every Kafka client, for example security.protocol=SASL_SSL; "
            + "repeatable. Replaces the same setting from environment variables TOKEN_MONITOR_KAFKA_<NAME> "
            + "(NAME upper case with . as _ and _ as __) and from --kafka-config.")
    List<String> properties = new ArrayList<>();

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:TOKEN_MONITOR_KAFKA_CONFIG}",
        description = "Java properties file of Kafka client settings passed to every Kafka client "
            + "(default: none; the environment variable TOKEN_MONITOR_KAFKA_CONFIG sets the default).")
    Path configFile;

    /**
     * Returns the merged pass-through settings of these options and the environment.
     *
     * @throws IllegalArgumentException if a setting is invalid, the file cannot be read, or bootstrap.servers is set
     */
    public KafkaClientSettings settings(Map<String, String> environment) {
        return KafkaClientSettings.load(properties, configFile, environment);
    }
}
