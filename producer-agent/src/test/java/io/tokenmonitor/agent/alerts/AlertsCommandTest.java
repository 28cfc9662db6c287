package io.tokenmonitor.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenmonitor.agent.TestSchemaRegistry;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlertsCommandTest {

    @Test
    void consumerPropertiesShouldBuildKafkaConsumer() throws IOException {
        // A local socket of this test is the bootstrap address, so the consumer contacts nothing else.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AlertsCommand command = new AlertsCommand();
            new CommandLine(command).parseArgs("--bootstrap-servers", "127.0.0.1:" + socket.getLocalPort());
            Properties properties = command.consumerProperties("group-1");

            KafkaConsumer<String, UsageAlert> consumer = new KafkaConsumer<>(properties,
                Topics.USAGE_ALERTS.keySerde().deserializer(),
                Topics.USAGE_ALERTS.valueSerde(new TestSchemaRegistry()).deserializer());
            consumer.close(Duration.ZERO);

            assertEquals("false", properties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
            assertEquals("latest", properties.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        }
    }
}
