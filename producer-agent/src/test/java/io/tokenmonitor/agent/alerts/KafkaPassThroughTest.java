package io.tokenmonitor.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KafkaPassThroughTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
        + "username=\"agent\" password=\"agent-secret\";";

    @Test
    void saslSettingsReachAlertClients() {
        AlertsCommand command = new AlertsCommand();
        new CommandLine(command).parseArgs("--kafka-property", "security.protocol=SASL_SSL",
            "--kafka-property", "sasl.mechanism=SCRAM-SHA-512", "--kafka-property", "sasl.jaas.config=" + JAAS);

        Properties consumer = command.consumerProperties("group-1");
        Properties producer = command.undeliverableProducerProperties();

        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", consumer.get("sasl.mechanism"));
        assertEquals(JAAS, consumer.get("sasl.jaas.config"));
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals(JAAS, producer.get("sasl.jaas.config"));
    }

    @Test
    void tlsSettingsReachSimulateProducer() {
        MockClients clients = new MockClients();

        AgentRun run = AgentRun.execute(clients, "simulate", "--count", "1",
            "--kafka-property", "security.protocol=SSL",
            "--kafka-property", "ssl.truststore.location=/etc/kafka/truststore.jks",
            "--kafka-property", "linger.ms=5");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("SSL", clients.producerProperties.get("security.protocol"));
        assertEquals("/etc/kafka/truststore.jks", clients.producerProperties.get("ssl.truststore.location"));
        assertEquals("5", clients.producerProperties.get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void alertsRejectsIsolationLevel() {
        MockClients clients = new MockClients(new MockConsumer<>("earliest"));

        AgentRun run = AgentRun.execute(clients, "alerts", "--max-alerts", "1",
            "--kafka-property", "isolation.level=read_uncommitted");

        assertNotEquals(AgentCommand.EXIT_OK, run.exitCode());
        assertTrue(run.err().contains("'isolation.level'"), run.err());
        assertTrue(run.err().contains("cannot be overridden"), run.err());
    }

    @Test
    void dlqRejectsIsolationLevel() {
        MockClients clients = new MockClients();

        AgentRun run = AgentRun.execute(clients, "dlq", "--kafka-property", "isolation.level=read_uncommitted");

        assertNotEquals(AgentCommand.EXIT_OK, run.exitCode());
        assertTrue(run.err().contains("'isolation.level'"), run.err());
    }

    @Test
    void bootstrapServersPropertyRejected() {
        MockClients clients = new MockClients();

        AgentRun run = AgentRun.execute(clients, "simulate", "--count", "1",
            "--kafka-property", "bootstrap.servers=127.0.0.1:1");

        assertNotEquals(AgentCommand.EXIT_OK, run.exitCode());
        assertTrue(run.err().contains("--bootstrap-servers"), run.err());
        assertFalse(run.err().contains("java.lang."), "the error names no exception class: " + run.err());
        assertEquals(null, clients.producerProperties, "no producer was created");
    }
}
