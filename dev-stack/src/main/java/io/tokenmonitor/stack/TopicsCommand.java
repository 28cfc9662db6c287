package io.tokenmonitor.stack;

import io.tokenmonitor.agent.KafkaOptions;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.topics.Topic;
import io.tokenmonitor.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code token-monitor topics}: creates the product's topics on an existing Kafka cluster before the processors
 * start. Topics that already exist are left unchanged, so running it again is safe.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Creates the product's topics on an existing Kafka cluster; existing topics are left unchanged.")
final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        defaultValue = "${env:TOKEN_MONITOR_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka bootstrap servers, host:port[,host:port] (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:TOKEN_MONITOR_PARTITIONS:-6}",
        description = "Partitions of each topic created; the processors can use at most this many stream tasks "
            + "per sub-topology (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
        defaultValue = "${env:TOKEN_MONITOR_REPLICATION_FACTOR:-1}",
        description = "Replicas of each partition of the topics created, at most the number of brokers "
            + "(default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "${env:TOKEN_MONITOR_TIMEOUT:-PT30S}",
        description = "Time limit for creating the topics and waiting for their leaders, ISO-8601 duration "
            + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    KafkaOptions kafkaOptions;

    @Override
    public Integer call() {
        List<String> created = TopicSetup.createProductTopics(bootstrapServers,
            kafkaOptions.settings(System.getenv()), partitions, replicationFactor, timeout);

        List<String> existing = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
            if (!created.contains(topic.name())) {
                existing.add(topic.name());
            }
        }
        var out = spec.commandLine().getOut();
        for (String name : created) {
            out.println("created  " + name);
        }
        for (String name : existing) {
            out.println("existed  " + name);
        }
        out.printf("%d topics created, %d already existed on %s.%n", created.size(), existing.size(),
            bootstrapServers);
        out.flush();
        return 0;
    }
}
