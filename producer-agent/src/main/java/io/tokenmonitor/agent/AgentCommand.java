package io.tokenmonitor.agent;

import io.tokenmonitor.agent.alerts.AlertsCommand;
import io.tokenmonitor.agent.dlq.DlqCommand;
import io.tokenmonitor.agent.localstorage.ImportLocalStorageCommand;
import io.tokenmonitor.agent.plan.PlanCommand;
import io.tokenmonitor.agent.replay.ReplayCommand;
import io.tokenmonitor.agent.simulate.SimulateCommand;
import io.tokenmonitor.agent.usage.UsageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code agent} command: sends simulated, replayed or imported requests to the token-requests topic,
 * prints usage alerts, sets and shows user plans, requests usage resets and lists dead letters.
 *
 * <p>Exit codes: {@value #EXIT_OK} on success, {@value #EXIT_FAILURE} when a send failed, the input
 * could not be read, a client failed or an HTTP request failed, {@value #EXIT_USAGE} for invalid
 * arguments, and {@value #EXIT_INCOMPLETE} when {@code alerts} timed out before {@code --max-alerts} alerts arrived.
 */
@Command(name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentCommand.VersionProvider.class,
    description = "Sends LLM request events to Kafka, prints usage alerts, and manages user plans and usage resets.",
    subcommands = {SimulateCommand.class, ReplayCommand.class, AlertsCommand.class, PlanCommand.class,
        UsageCommand.class, ImportLocalStorageCommand.class, DlqCommand.class})
public final class AgentCommand implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INCOMPLETE = 3;

    private final AgentClients clients;

    @Spec
    CommandSpec spec;

    /** Creates the command with real Kafka and registry clients. */
    public AgentCommand() {
        this(AgentClients.kafka());
    }

    /** Creates the command with the given client factory, for example mock clients in tests. */
    public AgentCommand(AgentClients clients) {
        this.clients = clients;
    }

    /**
     * Runs the command with real clients, printing to System.out and System.err.
     *
     * @return the exit code; this method never calls System.exit
     */
    public static int run(String... args) {
        return commandLine(AgentClients.kafka()).execute(args);
    }

    /**
     * Returns a configured command line, to run with {@code execute(args)} after setting its output
     * and error writers if needed.
     */
    public static CommandLine commandLine(AgentClients clients) {
        CommandLine commandLine = new CommandLine(new AgentCommand(clients));
        EnvironmentOptionErrors.install(commandLine);
        commandLine.setExecutionExceptionHandler((exception, failedCommand, parseResult) -> {
            failedCommand.getErr().println("Error: " + describe(exception));
            failedCommand.getErr().flush();
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    /** Returns the message of an exception and of each of its causes, so a bind failure names the port. */
    public static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder(exception.getMessage() != null
            ? exception.getMessage() : exception.getClass().getSimpleName());
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Returns the factory that subcommands create their clients with. */
    public AgentClients clients() {
        return clients;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Missing subcommand: simulate, replay, import-local-storage, alerts, plan, usage or dlq");
    }

    /** Reports the version from the jar manifest, or "development build" when run from classes. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AgentCommand.class.getPackage().getImplementationVersion();
            return new String[] {"token-monitor agent " + (version != null ? version : "(development build)")};
        }
    }
}
