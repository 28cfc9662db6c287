package io.tokenmonitor.agent.dlq;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.InstantConverter;
import io.tokenmonitor.agent.ShutdownSignal;
import io.tokenmonitor.topics.Topics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code dlq} subcommand: lists dead letters as JSON lines. */
@Command(name = "dlq",
    mixinStandardHelpOptions = true,
    description = {
        "Lists the dead letters on token-requests-dlq as one JSON line each on stdout: reason, error, "
            + "source topic, partition and offset, rejection time, key, value size and the first 32 bytes of the "
            + "value in hex. Only records of committed transactions are read.",
        "Reads from the beginning and stops at the end of the topic, unless --follow is given."})
public final class DlqCommand implements Callable<Integer> {

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--reason", paramLabel = "REASON", split = ",",
        description = "Print only dead letters with this reason code, such as oversized or undecodable; "
            + "repeat or separate with commas for several (default: all).")
    List<String> reasons = List.of();

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
        description = "Print only dead letters rejected at or after this time, an ISO-8601 instant or a date "
            + "(default: all).")
    Instant since;

    @Option(names = "--limit", paramLabel = "N",
        description = "Stop after printing this many dead letters (default: no limit).")
    Long limit;

    @Option(names = "--follow",
        description = "After reaching the end of the topic, keep printing new dead letters until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --limit " + limit + ": expected 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeadLetterReader reader = new DeadLetterReader(Topics.TOKEN_REQUESTS_DLQ.name(), Set.copyOf(reasons), since,
            limit != null ? limit : 0, follow);

        AtomicReference<Consumer<byte[], byte[]>> running = new AtomicReference<>();
        try (ShutdownSignal signal = ShutdownSignal.onCtrlC(() -> wakeUp(running.get()));
             Consumer<byte[], byte[]> consumer = parent.clients().byteConsumer(consumerProperties())) {
            running.set(consumer);
            long printed = reader.run(consumer, out, signal::isStopRequested);
            err.println("Printed " + printed + " dead letters");
            err.flush();
            return AgentCommand.EXIT_OK;
        } catch (WakeupException e) {
            err.println("Interrupted");
            err.flush();
            return AgentCommand.EXIT_OK;
        } catch (KafkaException e) {
            err.println("Reading dead letters failed: " + e);
            err.flush();
            return AgentCommand.EXIT_FAILURE;
        }
    }

    private static void wakeUp(Consumer<byte[], byte[]> consumer) {
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    /** Returns the consumer settings: committed records only, no group, so nothing is committed. */
    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "token-monitor-agent-dlq");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return connection.clientProperties(properties, List.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }
}
