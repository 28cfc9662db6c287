package io.tokenmonitor.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.kafka.KafkaClientSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessorConfigKafkaSettingsTest {

    @Test
    void saslAndTlsSettingsReachStreamsProperties() {
        KafkaClientSettings settings = KafkaClientSettings.load(
            List.of("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required;"),
            null,
            Map.of("TOKEN_MONITOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "TOKEN_MONITOR_KAFKA_SASL_MECHANISM", "PLAIN",
                "TOKEN_MONITOR_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.jks"));

        Properties streams = ProcessorConfig.defaults().withKafkaSettings(settings).streamsProperties();

        assertEquals("SASL_SSL", streams.get("security.protocol"));
        assertEquals("PLAIN", streams.get("sasl.mechanism"));
        assertEquals("/etc/kafka/truststore.jks", streams.get("ssl.truststore.location"));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required;",
            streams.get("sasl.jaas.config"));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void passThroughReplacesProductDefault() {
        KafkaClientSettings settings = KafkaClientSettings.load(List.of("producer.compression.type=zstd"), null,
            Map.of());

        Properties streams = ProcessorConfig.defaults().withKafkaSettings(settings).streamsProperties();

        assertEquals("zstd", streams.get(StreamsConfig.producerPrefix("compression.type")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"processing.guarantee=at_least_once", "application.id=other",
        "consumer.isolation.level=read_uncommitted", "isolation.level=read_uncommitted"})
    void protectedStreamsSettingRejected(String flag) {
        KafkaClientSettings settings = KafkaClientSettings.load(List.of(flag), null, Map.of());
        ProcessorConfig defaults = ProcessorConfig.defaults();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> defaults.withKafkaSettings(settings));

        String key = flag.substring(0, flag.indexOf('='));
        assertTrue(error.getMessage().contains("'" + key + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("--kafka-property"), error.getMessage());
    }
}
