package io.tokenmonitor.agent.plan;

import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code plan} command group: sets a user's plan on the user-plans topic and shows the plan in force. */
@Command(name = "plan",
    mixinStandardHelpOptions = true,
    description = "Sets or shows a user's plan: monthly token limit, alert thresholds and billing calendar.",
    subcommands = {PlanSetCommand.class, PlanShowCommand.class})
public final class PlanCommand implements Runnable {

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
        throw new ParameterException(spec.commandLine(), "Missing subcommand: set or show");
    }
}
