package io.tokenmonitor.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--webhook=ftp://127.0.0.1/hook | Invalid --webhook",
        "--webhook=/relative/path | Invalid --webhook",
        "--retry-initial=0s | Invalid --retry-initial",
        "--retry-max=500ms | Invalid --retry-max",
        "--give-up-after=0s | Invalid --give-up-after",
        "--attempt-timeout=0ms | Invalid --attempt-timeout",
        "--give-up-after=400d | Invalid --give-up-after"})
    void shouldRejectInvalidWebhookOption(String option, String expectedMessage) {
        String[] arguments = option.startsWith("--webhook")
            ? new String[] {"alerts", option}
            : new String[] {"alerts", "--webhook", "http://127.0.0.1:1/hook", option};

        AgentRun run = AgentRun.execute(AgentClients.kafka(), arguments);

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains(expectedMessage), run.err());
    }

    @Test
    void shouldKeepWebhookPathOutOfErrors() {
        AgentRun run = AgentRun.execute(AgentClients.kafka(), "alerts", "--webhook",
            "ftp://127.0.0.1/hook?token=secret-value");

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertFalse(run.err().contains("secret-value"), run.err());
    }

    @Test
    void shouldCommitOnlyAfterDeliveryInWebhookMode() throws IOException {
        AlertsCommand command = new AlertsCommand();
        new CommandLine(command).parseArgs("--webhook", "http://127.0.0.1:1/hook");

        Properties consumer = command.consumerProperties(AlertsCommand.WEBHOOK_GROUP);
        Properties producer = command.undeliverableProducerProperties();

        assertEquals("false", consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("all", producer.get(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG));
    }
}
