package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsCommandTest {

    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder().build().start();
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void createsTopicsThenReportsExisting() throws Exception {
        StringWriter firstOut = new StringWriter();
        int firstExit = execute(firstOut, "--bootstrap-servers", broker.bootstrapServers(), "--partitions", "2",
            "--kafka-property", "client.id=topics-command-test");
        StringWriter secondOut = new StringWriter();
        int secondExit = execute(secondOut, "--bootstrap-servers", broker.bootstrapServers());

        assertEquals(0, firstExit, firstOut.toString());
        assertEquals(0, secondExit, secondOut.toString());
        int topicCount = Topics.all().size();
        for (Topic<?> topic : Topics.all()) {
            assertTrue(firstOut.toString().contains("created  " + topic.name()), firstOut.toString());
            assertTrue(secondOut.toString().contains("existed  " + topic.name()), secondOut.toString());
        }
        assertTrue(firstOut.toString().contains(topicCount + " topics created, 0 already existed"),
            firstOut.toString());
        assertTrue(secondOut.toString().contains("0 topics created, " + topicCount + " already existed"),
            secondOut.toString());

        // The second run used the default partition count, but existing topics keep the 2 of the first run.
        try (Admin admin = Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(
                Topics.all().stream().map(Topic::name).toList()).allTopicNames().get();
            for (TopicDescription description : descriptions.values()) {
                assertEquals(2, description.partitions().size(), description.name());
            }
        }
    }

    @Test
    void bootstrapServersPropertyRejected() {
        TopicsCommand command = new TopicsCommand();
        new CommandLine(command).parseArgs("--bootstrap-servers", broker.bootstrapServers(),
            "--kafka-property", "bootstrap.servers=127.0.0.1:1");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, command::call);

        assertTrue(error.getMessage().contains("--bootstrap-servers"), error.getMessage());
    }

    @Test
    void defaultsAreSixPartitionsOneReplica() {
        TopicsCommand command = new TopicsCommand();
        new CommandLine(command).parseArgs();

        // The defaults hold only while TOKEN_MONITOR_PARTITIONS and TOKEN_MONITOR_REPLICATION_FACTOR are unset.
        if (System.getenv("TOKEN_MONITOR_PARTITIONS") == null) {
            assertEquals(6, command.partitions);
        }
        if (System.getenv("TOKEN_MONITOR_REPLICATION_FACTOR") == null) {
            assertEquals(1, command.replicationFactor);
        }
    }

    private static int execute(StringWriter out, String... args) {
        CommandLine commandLine = new CommandLine(new TopicsCommand());
        commandLine.setOut(new PrintWriter(out));
        return commandLine.execute(args);
    }
}
