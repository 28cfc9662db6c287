package io.tokenmonitor.agent.alerts;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.DurationConverter;
import io.tokenmonitor.agent.ShutdownSignal;
import io.tokenmonitor.agent.alerts.AlertWatcher.StopReason;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topics;
import io.tokenmonitor.agent.alerts.webhook.ExponentialBackoff;
import io.tokenmonitor.agent.alerts.webhook.WebhookClient;
import io.tokenmonitor.agent.alerts.webhook.WebhookDispatcher;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
        "With --webhook URL it posts each alert to the URL instead, retries failed attempts, writes alerts it "
            + "gives up on to usage-alerts-undeliverable, and commits an alert's offset only after that; it "
            + "runs until Ctrl-C, --timeout or --max-alerts.",
        "Exits with 3 if --timeout passed before --max-alerts alerts were printed or delivered."})
public final class AlertsCommand implements Callable<Integer> {

    /** The consumer group of {@code --webhook} without {@code --group}, so a restart resumes where it stopped. */
    static final String WEBHOOK_GROUP = "token-monitor-alert-webhook";

    /** Kafka's default {@code max.poll.interval.ms}. */
    private static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    /** The longest duration option accepted, far below where a duration in nanoseconds overflows. */
    private static final Duration MAX_DURATION = Duration.ofDays(365);

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--group", paramLabel = "GROUP_ID", defaultValue = "${env:TOKEN_MONITOR_GROUP}",
        description = "Consumer group id; the group's committed position is resumed and the printed alerts "
            + "are committed (default: a new group for each run, which commits nothing; with --webhook "
            + WEBHOOK_GROUP + "; environment variable TOKEN_MONITOR_GROUP).")
    String group;

    @Option(names = "--from-beginning", defaultValue = "${env:TOKEN_MONITOR_FROM_BEGINNING:-false}",
        description = "Start at the earliest alert when the group has no committed position "
            + "(default: only alerts written after the consumer is assigned its partitions; "
            + "TOKEN_MONITOR_FROM_BEGINNING=true sets it).")
    boolean fromBeginning;

    @Option(names = "--max-alerts", paramLabel = "N",
        description = "Stop after printing this many alerts, or with --webhook after delivering or giving up on "
            + "this many (default: no limit).")
    Long maxAlerts;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Stop after this long, for example 10s or 2m (default: no limit).")
    Duration timeout;

    @Option(names = "--idle", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
        description = "With --from-beginning and neither --max-alerts nor --timeout: stop once the topic has "
            + "been read to its end and no alert arrived for this long (default: ${DEFAULT-VALUE}).")
    Duration idle;

    @Option(names = "--webhook", paramLabel = "URL", defaultValue = "${env:TOKEN_MONITOR_WEBHOOK}",
        description = "Post each alert as JSON to this http or https URL, with the alert id in an Idempotency-Key "
            + "header, instead of printing it. The consumer group defaults to " + WEBHOOK_GROUP
            + " (default: print; environment variable TOKEN_MONITOR_WEBHOOK).")
    URI webhook;

    @Option(names = "--retry-initial", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "${env:TOKEN_MONITOR_RETRY_INITIAL:-1s}",
        description = "With --webhook: the upper bound of the random delay before the first retry; it doubles "
            + "with each retry up to --retry-max (default: ${DEFAULT-VALUE}).")
    Duration retryInitial;

    @Option(names = "--retry-max", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "${env:TOKEN_MONITOR_RETRY_MAX:-1m}",
        description = "With --webhook: the cap of the delay between retries (default: ${DEFAULT-VALUE}).")
    Duration retryMax;

    @Option(names = "--give-up-after", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "${env:TOKEN_MONITOR_GIVE_UP_AFTER:-PT15M}",
        description = "With --webhook: how long after its first attempt an alert that still fails is written to "
            + "usage-alerts-undeliverable (default: ${DEFAULT-VALUE}).")
    Duration giveUpAfter;

    @Option(names = "--attempt-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "${env:TOKEN_MONITOR_ATTEMPT_TIMEOUT:-10s}",
        description = "With --webhook: the time limit of one POST, from connecting to the end of the response "
            + "(default: ${DEFAULT-VALUE}).")
    Duration attemptTimeout;

    @Override
    public Integer call() {
        validate();
        if (webhook != null) {
            return deliverToWebhook(spec.commandLine().getErr());
        }
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

    /** Runs the webhook dispatcher until Ctrl-C, --timeout or --max-alerts, and returns the exit code. */
    private int deliverToWebhook(PrintWriter err) {
        String groupId = group != null ? group : WEBHOOK_GROUP;
        WebhookClient client = new WebhookClient(webhook, attemptTimeout);
        ExponentialBackoff backoff = new ExponentialBackoff(retryInitial, retryMax, new SplittableRandom());
        WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(backoff, giveUpAfter,
            maxAlerts != null ? maxAlerts : 0, timeout);

        SchemaRegistryClient registry = parent.clients().registry(connection.schemaRegistryUrl());
        err.println("Delivering " + Topics.USAGE_ALERTS.name() + " to " + client.describe() + " as consumer group "
            + groupId);
        err.flush();

        AtomicReference<WebhookDispatcher> running = new AtomicReference<>();
        Properties consumerProperties = consumerProperties(groupId);
        try (ShutdownSignal signal = ShutdownSignal.onCtrlC(() -> stop(running.get()));
             Consumer<String, UsageAlert> consumer = parent.clients().consumer(consumerProperties, registry);
             Producer<String, UsageAlert> producer = parent.clients().producer(Topics.USAGE_ALERTS_UNDELIVERABLE,
                 undeliverableProducerProperties(), registry)) {
            WebhookDispatcher dispatcher = new WebhookDispatcher(consumer, Topics.USAGE_ALERTS.name(), producer,
                Topics.USAGE_ALERTS_UNDELIVERABLE.name(), client, settings, Clock.systemUTC(), System::nanoTime);
            running.set(dispatcher);
            WebhookDispatcher.StopReason reason = signal.isStopRequested()
                ? WebhookDispatcher.StopReason.STOPPED
                : dispatcher.run();

            err.println("Delivered " + dispatcher.delivered() + " alerts, wrote " + dispatcher.undeliverable()
                + " to " + Topics.USAGE_ALERTS_UNDELIVERABLE.name() + "; stopped: " + describe(reason));
            err.flush();
            return reason == WebhookDispatcher.StopReason.TIMEOUT && maxAlerts != null
                ? AgentCommand.EXIT_INCOMPLETE
                : AgentCommand.EXIT_OK;
        } catch (KafkaException e) {
            err.println("Delivering alerts failed: " + e);
            err.flush();
            return AgentCommand.EXIT_FAILURE;
        }
    }

    private static void stop(WebhookDispatcher dispatcher) {
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** Returns the settings of the undeliverable topic's producer: acknowledged by every in-sync replica. */
    Properties undeliverableProducerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "token-monitor-agent-alerts-undeliverable");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return connection.producerProperties(properties);
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
        if (webhook != null) {
            // The dispatcher polls between alerts and while it waits, but not during one POST.
            long maxPollIntervalMs = Math.max(DEFAULT_MAX_POLL_INTERVAL.toMillis(),
                attemptTimeout.multipliedBy(2).plusMinutes(1).toMillis());
            properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Long.toString(Math.min(Integer.MAX_VALUE, maxPollIntervalMs)));
        }
        return connection.clientProperties(properties, List.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }

    private void validate() {
        if (maxAlerts != null && maxAlerts < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --max-alerts " + maxAlerts + ": expected 1 or more");
        }
        if (timeout != null && timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid --timeout 0: expected a positive duration");
        }
        if (webhook != null) {
            validateWebhook();
        }
        if (idle.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid --idle 0: expected a positive duration");
        }
    }

    private void validateWebhook() {
        try {
            WebhookClient.validate(webhook);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --webhook: " + e.getMessage()
                + ". Use an absolute URL such as https://example.com/alerts");
        }
        requirePositive("--retry-initial", retryInitial);
        requirePositive("--retry-max", retryMax);
        requirePositive("--give-up-after", giveUpAfter);
        requirePositive("--attempt-timeout", attemptTimeout);
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid --retry-max " + retryMax
                + ": expected at least --retry-initial " + retryInitial);
        }
    }

    private void requirePositive(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new ParameterException(spec.commandLine(), "Invalid " + option + " " + value
                + ": expected a positive duration");
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new ParameterException(spec.commandLine(), "Invalid " + option + " " + value
                + ": expected at most " + MAX_DURATION);
        }
    }

    private static String describe(WebhookDispatcher.StopReason reason) {
        return switch (reason) {
            case MAX_ALERTS -> "--max-alerts reached";
            case TIMEOUT -> "--timeout passed";
            case STOPPED -> "interrupted";
        };
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
