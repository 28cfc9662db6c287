package io.tokenmonitor.stack;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.EnvironmentOptionErrors;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./token-monitor}: runs the demo, the development stack, a processor, topic creation or
 * the agent.
 */
@Command(name = "token-monitor",
    mixinStandardHelpOptions = true,
    description = "Meters LLM token usage per user and calendar month on Kafka Streams.",
    subcommands = {DemoCommand.class, StackCommand.class, ProcessorCommand.class, TopicsCommand.class},
    footer = {"", "  agent ...   Runs the producer agent (simulate, replay, alerts); see 'agent --help'."})
public final class TokenMonitor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenMonitor.class);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a subcommand and returns its exit code. */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("agent")) {
            return AgentCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        CommandLine commandLine = new CommandLine(new TokenMonitor());
        EnvironmentOptionErrors.install(commandLine);
        commandLine.setExecutionExceptionHandler((exception, failedCommand, parseResult) -> {
            LOG.debug("Command failed", exception);
            failedCommand.getErr().println("Error: " + AgentCommand.describe(exception));
            failedCommand.getErr().println("Run with -Dorg.slf4j.simpleLogger.log.io.tokenmonitor=debug in "
                + "TOKEN_MONITOR_JAVA_OPTS for the stack trace.");
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
