package io.tokenmonitor.agent.alerts;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.DurationConverter;
import io.tokenmonitor.agent.ShutdownSignal;
import io.tokenmonitor.agent.alerts.AlertWatcher.StopReason;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code alerts} subcommand: prints usage alerts as JSON lines. */
@Command(name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
        "Prints each usage alert as one JSON line on stdout; diagnostics go to stderr. Only alerts of "
            + "committed transactions are read.",
        "Stops after --max-alerts alerts or --timeout. Otherwise, with --from-beginning it stops once the "
            + "topic has been read to its end and --idle passed with nothing new; without it, it runs until "
            + "Ctrl-C.",
        "Exits with 3 if --timeout passed before --max-alerts alerts were printed."})
public final class AlertsCommand implements Callable<Integer> {

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--group", paramLabel = "GROUP_ID",
        description = "Consumer group id; the group's committed position is resumed and the printed alerts "
            + "are committed (default: a new group for each run, which commits nothing).")
    String group;

    @Option(names = "--from-beginning",
        description = "Start at the earliest alert when the group has no committed position "
            + "(default: only alerts written after the consumer is assigned its partitions).")
    boolean fromBeginning;

    @Option(names = "--max-alerts", paramLabel = "N",
        description = "Stop after printing this many alerts (default: no limit).")
    Long maxAlerts;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Stop after this long, for example 10s or 2m (default: no limit).")
    Duration timeout;

    @Option(names = "--idle", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
        description = "With --from-beginning and neither --max-alerts nor --timeout: stop once the topic has "
            + "been read to its end and no alert arrived for this long (default: ${DEFAULT-VALUE}).")
    Duration idle;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String groupId = group != null ? group : "token-monitor-alerts-" + UUID.randomUUID();
        boolean stopWhenIdle = fromBeginning && maxAlerts == null && timeout == null;
        AlertWatcher.Settings settings = new AlertWatcher.Settings(
            maxAlerts != null ? maxAlerts : 0, timeout, stopWhenIdle ? idle : null, group != null);

        SchemaRegistryClient registry = parent.clients().registry(connection.schemaRegistryUrl());
        err.println("Reading " + Topics.USAGE_ALERTS.name() + " from " + (fromBeginning ? "the beginning" : "now on")
            + " as consumer group " + groupId);
        err.flush();

        // The signal is closed last, so after Ctrl-C the JVM waits until the consumer has closed.
        AtomicReference<AlertWatcher> running = new AtomicReference<>();
        try (ShutdownSignal signal = ShutdownSignal.onCtrlC(() -> wakeUp(running.get()));
             Consumer<String, UsageAlert> consumer = parent.clients().consumer(consumerProperties(groupId), registry)) {
            AlertWatcher watcher = new AlertWatcher(consumer, Topics.USAGE_ALERTS.name(), settings, System::nanoTime,
                out, err);
            running.set(watcher);
            StopReason reason = signal.isStopRequested() ? StopReason.WOKEN_UP : watcher.run();

            err.println("Printed " + watcher.printed() + " alerts; stopped: " + describe(reason));
            err.flush();
            return reason == StopReason.TIMEOUT && maxAlerts != null
                ? AgentCommand.EXIT_INCOMPLETE
                : AgentCommand.EXIT_OK;
        } catch (KafkaException e) {
            err.println("Reading alerts failed: " + e);
            err.flush();
            return AgentCommand.EXIT_FAILURE;
        }
    }

    private static void wakeUp(AlertWatcher watcher) {
        if (watcher != null) {
            watcher.wakeup();
        }
    }

    /** Returns the consumer settings: committed records only, and offsets committed by the watcher. */
    Properties consumerProperties(String groupId) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "token-monitor-agent-alerts");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    private void validate() {
        if (maxAlerts != null && maxAlerts < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --max-alerts " + maxAlerts + ": expected 1 or more");
        }
        if (timeout != null && timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid --timeout 0: expected a positive duration");
        }
        if (idle.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid --idle 0: expected a positive duration");
        }
    }

    private static String describe(StopReason reason) {
        return switch (reason) {
            case MAX_ALERTS -> "--max-alerts reached";
            case TIMEOUT -> "--timeout passed";
            case END_OF_TOPIC -> "read to the end of the topic";
            case TOPIC_NOT_FOUND -> "topic not found";
            case WOKEN_UP -> "interrupted";
        };
    }
}
