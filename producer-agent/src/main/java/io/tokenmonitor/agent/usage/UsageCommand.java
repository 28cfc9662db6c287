package io.tokenmonitor.agent.usage;

import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code usage} command group: operator actions on a user's metered usage. */
@Command(name = "usage",
    mixinStandardHelpOptions = true,
    description = "Operator actions on a user's metered usage.",
    subcommands = {UsageResetCommand.class})
public final class UsageCommand implements Runnable {

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    /** Returns the factory that the subcommands create their clients with. */
    AgentClients clients() {
        return parent.clients();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: reset");
    }
}
