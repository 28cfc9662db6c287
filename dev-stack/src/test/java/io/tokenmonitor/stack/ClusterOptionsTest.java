package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ClusterOptionsTest {

    @Test
    void shouldSetStandbysAndApplicationServer() {
        ProcessorConfig config = parse("--http-host", "0.0.0.0", "--advertised-host", "processor-2.internal",
            "--standby-replicas", "2").applyTo(ProcessorConfig.defaults().withHttpPort(7001));

        Properties properties = config.streamsProperties();
        assertEquals("0.0.0.0", config.httpHost());
        assertEquals("processor-2.internal:7001", properties.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals("2", properties.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    }

    @Test
    void shouldDefaultToLoopbackWithoutStandbys() {
        ProcessorConfig config = parse().applyTo(ProcessorConfig.defaults().withHttpPort(7001));

        Properties properties = config.streamsProperties();
        assertEquals("127.0.0.1:7001", properties.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals("0", properties.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    }

    @Test
    void shouldRejectWildcardHostWithoutAdvertisedHost() {
        ClusterOptions options = parse("--http-host", "0.0.0.0");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> options.applyTo(ProcessorConfig.defaults()));
        assertTrue(error.getMessage().contains("advertised host"), error.getMessage());
    }

    @Test
    void shouldRejectNegativeStandbys() {
        ClusterOptions options = parse("--standby-replicas", "-1");

        assertThrows(IllegalArgumentException.class, () -> options.applyTo(ProcessorConfig.defaults()));
    }

    private static ClusterOptions parse(String... args) {
        OptionsHolder holder = new OptionsHolder();
        new CommandLine(holder).parseArgs(args);
        return holder.options;
    }

    @Command(name = "holder")
    private static final class OptionsHolder {

        @Mixin
        ClusterOptions options;
    }
}
