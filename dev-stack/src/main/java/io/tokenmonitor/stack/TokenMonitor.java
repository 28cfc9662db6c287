package io.tokenmonitor.stack;

import io.tokenmonitor.agent.AgentCommand;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./token-monitor}: runs the demo, the development stack, a processor, or the agent.
 */
@Command(name = "token-monitor",
    mixinStandardHelpOptions = true,
    description = "Meters LLM token usage per user and calendar month on Kafka Streams.",
    subcommands = {DemoCommand.class, StackCommand.class, ProcessorCommand.class},
    footer = {"", "  agent ...   Runs the producer agent (simulate, replay, alerts); see 'agent --help'."})
public final class TokenMonitor implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a subcommand and returns its exit code. */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("agent")) {
            return AgentCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        return new CommandLine(new TokenMonitor()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
