package io.tokenmonitor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaClientSettingsTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @CsvSource({
        "SECURITY_PROTOCOL, security.protocol",
        "SASL_JAAS_CONFIG, sasl.jaas.config",
        "SSL_TRUSTSTORE_LOCATION, ssl.truststore.location",
        "CONSUMER_MAX_POLL_RECORDS, consumer.max.poll.records",
        "SOME__SETTING, some_setting",
        "A__B_C, a_b.c",
    })
    void settingNameMapsEnvironmentSuffix(String suffix, String expected) {
        assertEquals(expected, KafkaClientSettings.settingName(suffix));
    }

    @Test
    void environmentVariablesBecomeSettings() {
        Map<String, String> environment = Map.of(
            "TOKEN_MONITOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "TOKEN_MONITOR_KAFKA_SASL_MECHANISM", "PLAIN",
            "TOKEN_MONITOR_KAFKA_PORT", "9093",
            "TOKEN_MONITOR_BOOTSTRAP_SERVERS", "broker:9092",
            "PATH", "/usr/bin");

        Map<String, String> settings = KafkaClientSettings.load(List.of(), null, environment).asMap();

        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), settings);
    }

    @Test
    void flagBeatsEnvironmentBeatsFile() throws IOException {
        Path file = tempDir.resolve("client.properties");
        Files.writeString(file, "a.setting=file\nb.setting=file\nc.setting=file\n");
        Map<String, String> environment = Map.of(
            "TOKEN_MONITOR_KAFKA_CONFIG", file.toString(),
            "TOKEN_MONITOR_KAFKA_A_SETTING", "env",
            "TOKEN_MONITOR_KAFKA_B_SETTING", "env");

        Map<String, String> settings = KafkaClientSettings.load(List.of("a.setting=flag"), null, environment).asMap();

        assertEquals("flag", settings.get("a.setting"));
        assertEquals("env", settings.get("b.setting"));
        assertEquals("file", settings.get("c.setting"));
        assertFalse(settings.containsKey("config"), "the file variable is not a setting");
    }

    @Test
    void configFileFlagReplacesFileVariable() throws IOException {
        Path fromFlag = tempDir.resolve("flag.properties");
        Files.writeString(fromFlag, "origin=flag\n");
        Path fromEnvironment = tempDir.resolve("env.properties");
        Files.writeString(fromEnvironment, "origin=env\n");

        Map<String, String> settings = KafkaClientSettings.load(List.of(), fromFlag,
            Map.of("TOKEN_MONITOR_KAFKA_CONFIG", fromEnvironment.toString())).asMap();

        assertEquals(Map.of("origin", "flag"), settings);
    }

    @Test
    void settingsReplaceClientDefaults() {
        KafkaClientSettings settings = KafkaClientSettings.load(List.of("acks=1", "sasl.jaas.config=a=b"), null,
            Map.of());
        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:9092");
        client.put("acks", "all");

        Properties merged = settings.applyTo(client, List.of());

        assertEquals("1", merged.get("acks"));
        assertEquals("a=b", merged.get("sasl.jaas.config"), "only the first = separates key and value");
        assertEquals("127.0.0.1:9092", merged.get("bootstrap.servers"));
        assertEquals("all", client.get("acks"), "the client's own settings are not changed");
    }

    @Test
    void bootstrapServersRejectedFromEverySource() throws IOException {
        Path file = tempDir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");

        IllegalArgumentException fromFlag = assertThrows(IllegalArgumentException.class,
            () -> KafkaClientSettings.load(List.of("bootstrap.servers=elsewhere:9092"), null, Map.of()));
        IllegalArgumentException fromEnvironment = assertThrows(IllegalArgumentException.class,
            () -> KafkaClientSettings.load(List.of(), null,
                Map.of("TOKEN_MONITOR_KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092")));
        IllegalArgumentException fromFile = assertThrows(IllegalArgumentException.class,
            () -> KafkaClientSettings.load(List.of(), file, Map.of()));

        assertTrue(fromFlag.getMessage().contains("--kafka-property"), fromFlag.getMessage());
        assertTrue(fromFlag.getMessage().contains("--bootstrap-servers"), fromFlag.getMessage());
        assertTrue(fromEnvironment.getMessage().contains("TOKEN_MONITOR_KAFKA_BOOTSTRAP_SERVERS"),
            fromEnvironment.getMessage());
        assertTrue(fromFile.getMessage().contains(file.toString()), fromFile.getMessage());
    }

    @Test
    void protectedSettingRejectedWithStreamsPrefix() {
        KafkaClientSettings plain = KafkaClientSettings.load(List.of("isolation.level=read_uncommitted"), null,
            Map.of());
        KafkaClientSettings prefixed = KafkaClientSettings.load(
            List.of("main.consumer.isolation.level=read_uncommitted"), null, Map.of());

        IllegalArgumentException plainError = assertThrows(IllegalArgumentException.class,
            () -> plain.applyTo(new Properties(), List.of("isolation.level")));
        IllegalArgumentException prefixedError = assertThrows(IllegalArgumentException.class,
            () -> prefixed.applyTo(new Properties(), List.of("isolation.level")));

        assertTrue(plainError.getMessage().contains("'isolation.level'"), plainError.getMessage());
        assertTrue(prefixedError.getMessage().contains("'main.consumer.isolation.level'"),
            prefixedError.getMessage());
    }

    @Test
    void invalidFlagAndMissingFileRejected() {
        IllegalArgumentException noEquals = assertThrows(IllegalArgumentException.class,
            () -> KafkaClientSettings.load(List.of("security.protocol"), null, Map.of()));
        Path missing = tempDir.resolve("missing.properties");
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class,
            () -> KafkaClientSettings.load(List.of(), missing, Map.of()));

        assertTrue(noEquals.getMessage().contains("KEY=VALUE"), noEquals.getMessage());
        assertTrue(noFile.getMessage().contains(missing + " (--kafka-config) does not exist"), noFile.getMessage());
    }

    @Test
    void toStringHidesValues() {
        KafkaClientSettings settings = KafkaClientSettings.load(List.of("sasl.jaas.config=secret-password"), null,
            Map.of());

        assertFalse(settings.toString().contains("secret-password"), settings.toString());
        assertTrue(settings.toString().contains("sasl.jaas.config"), settings.toString());
    }
}
