package io.tokenmonitor.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings that an operator passes through to every Kafka client of the product, for example
 * {@code security.protocol}, {@code sasl.jaas.config} or {@code ssl.truststore.location}. They come from three
 * sources, and a setting in a later one replaces the same setting in an earlier one: the Java properties file
 * of {@code --kafka-config} (or {@value #CONFIG_FILE_ENV}), the environment variables
 * {@value #ENV_PREFIX}NAME, and {@code --kafka-property KEY=VALUE} flags. All of them replace the product's
 * own client defaults, except the settings a client names as protected: overriding one of those is an error.
 *
 * <p>Values may be secrets, so {@link #toString()} shows only the keys.
 */
public final class KafkaClientSettings {

    /** Prefix of the environment variables that each carry one Kafka client setting. */
    public static final String ENV_PREFIX = "TOKEN_MONITOR_KAFKA_";

    /** Environment variable naming the Java properties file of Kafka client settings. */
    public static final String CONFIG_FILE_ENV = "TOKEN_MONITOR_KAFKA_CONFIG";

    /**
     * Variables with the {@value #ENV_PREFIX} prefix that are not client settings: the file variable, and the
     * broker port of the stack and demo commands.
     */
    public static final Set<String> NON_SETTING_ENV = Set.of(CONFIG_FILE_ENV, "TOKEN_MONITOR_KAFKA_PORT");

    /** The setting that only {@code --bootstrap-servers} sets, so every client and message names one cluster. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    /** Prefixes under which Kafka Streams passes a setting to its embedded consumers, producers and admin. */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of("", "consumer.", "producer.", "admin.",
        "main.consumer.", "restore.consumer.", "global.consumer.");

    private static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

    /** Setting name to its value and the source it came from. */
    private final Map<String, Setting> settings;

    private record Setting(String value, String source) {
    }

    private KafkaClientSettings(Map<String, Setting> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Returns settings that pass nothing through. */
    public static KafkaClientSettings none() {
        return NONE;
    }

    /**
     * Merges the three sources.
     *
     * @param flagProperties values of {@code --kafka-property}, each {@code KEY=VALUE}
     * @param configFile the file of {@code --kafka-config}, or null to use {@value #CONFIG_FILE_ENV} if set
     * @param environment the process environment, for example {@code System.getenv()}
     * @throws IllegalArgumentException if a flag is not {@code KEY=VALUE}, the file cannot be read, or any source
     *     sets {@value #BOOTSTRAP_SERVERS}
     */
    public static KafkaClientSettings load(List<String> flagProperties, Path configFile,
                                           Map<String, String> environment) {
        Map<String, Setting> merged = new TreeMap<>();
        Path file = configFile;
        String fileSource = "--kafka-config";
        if (file == null && isSet(environment.get(CONFIG_FILE_ENV))) {
            file = Path.of(environment.get(CONFIG_FILE_ENV));
            fileSource = CONFIG_FILE_ENV;
        }
        if (file != null) {
            for (Map.Entry<Object, Object> entry : readFile(file, fileSource).entrySet()) {
                merged.put(entry.getKey().toString().trim(),
                    new Setting(entry.getValue().toString().trim(), fileSource + " " + file));
            }
        }

        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && !NON_SETTING_ENV.contains(name)) {
                merged.put(settingName(name.substring(ENV_PREFIX.length())), new Setting(variable.getValue(), name));
            }
        }

        for (String flag : flagProperties == null ? List.<String>of() : flagProperties) {
            int separator = flag.indexOf('=');
            if (separator <= 0) {
                throw new IllegalArgumentException("Invalid --kafka-property '" + flag + "'. Use KEY=VALUE, for "
                    + "example --kafka-property security.protocol=SASL_SSL.");
            }
            merged.put(flag.substring(0, separator).trim(),
                new Setting(flag.substring(separator + 1), "--kafka-property"));
        }

        KafkaClientSettings result = new KafkaClientSettings(merged);
        result.requireNotOverridden(Set.of(BOOTSTRAP_SERVERS), "set it with --bootstrap-servers or "
            + "TOKEN_MONITOR_BOOTSTRAP_SERVERS instead");
        return result;
    }

    /**
     * Returns the Kafka setting an environment variable suffix names: lower case, {@code _} becomes {@code .} and
     * {@code __} becomes a literal {@code _}, so {@code SASL_JAAS_CONFIG} is {@code sasl.jaas.config}.
     */
    public static String settingName(String envSuffix) {
        String lower = envSuffix.toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '_' && i + 1 < lower.length() && lower.charAt(i + 1) == '_') {
                name.append('_');
                i++;
            } else if (c == '_') {
                name.append('.');
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** Returns the merged settings, setting name to value. */
    public Map<String, String> asMap() {
        Map<String, String> values = new TreeMap<>();
        settings.forEach((name, setting) -> values.put(name, setting.value()));
        return values;
    }

    /**
     * Returns a copy of a client's own settings with these settings added, replacing the client's defaults.
     *
     * @param clientSettings the settings the product sets for this client, including {@value #BOOTSTRAP_SERVERS}
     * @param protectedSettings settings the product relies on for correctness; for each, the plain name and the
     *     name under every Kafka Streams client prefix ({@code consumer.}, {@code main.consumer.}, ...) are protected
     * @throws IllegalArgumentException if these settings set a protected one or {@value #BOOTSTRAP_SERVERS}
     */
    public Properties applyTo(Properties clientSettings, Collection<String> protectedSettings) {
        requireNotOverridden(protectedSettings, "the product sets it to "
            + "keep its results correct; remove it from the Kafka pass-through settings");
        Properties merged = new Properties();
        merged.putAll(clientSettings);
        settings.forEach((name, setting) -> merged.put(name, setting.value()));
        return merged;
    }

    /**
     * Checks that none of the protected settings, under any Kafka Streams client prefix, is set here.
     *
     * @throws IllegalArgumentException naming the first such setting and where it came from
     */
    public void requireNotOverridden(Collection<String> protectedSettings, String remedy) {
        for (String name : protectedSettings) {
            for (String prefix : STREAMS_CLIENT_PREFIXES) {
                Setting setting = settings.get(prefix + name);
                if (setting != null) {
                    throw new IllegalArgumentException("Kafka setting '" + prefix + name + "' from "
                        + setting.source() + " cannot be overridden: " + remedy + ".");
                }
            }
        }
    }

    private static Properties readFile(Path file, String source) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Kafka client settings file " + file + " (" + source
                + ") does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to read the Kafka client settings file " + file + " ("
                + source + "): " + e.getMessage(), e);
        }
        return properties;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaClientSettings that && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "KafkaClientSettings" + settings.keySet();
    }
}
