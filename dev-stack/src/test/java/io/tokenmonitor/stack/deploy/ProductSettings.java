package io.tokenmonitor.stack.deploy;

import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.stack.TokenMonitor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The environment variables that the launcher reads for one command line, taken from the picocli model of
 * {@link TokenMonitor} and of the agent's {@link AgentCommand}, so the list follows the code.
 */
final class ProductSettings {

    /** Every variable with this prefix passes a Kafka client property through to the product's clients. */
    static final String KAFKA_PASS_THROUGH_PREFIX = "TOKEN_MONITOR_KAFKA_";

    /** JVM options, read by the image's entry point (Dockerfile) and, for the second, by ./token-monitor. */
    static final Set<String> JVM_OPTIONS_VARIABLES = Set.of("JAVA_OPTS", "TOKEN_MONITOR_JAVA_OPTS");

    private static final Pattern ENV_VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

    private ProductSettings() {
    }

    /**
     * Returns the variables an option default of the command reads, through picocli's
     * {@code ${env:NAME:-default}}, plus the API token variables of {@link ApiTokens}.
     *
     * @param arguments the launcher's arguments, such as {@code [processor]} or {@code [agent, simulate]}
     * @return the variable names, or empty when the arguments name no subcommand of the launcher
     */
    static Optional<Set<String>> environmentVariables(List<String> arguments) {
        Optional<CommandLine> command = subcommand(arguments);
        if (command.isEmpty()) {
            return Optional.empty();
        }
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : command.get().getCommandSpec().options()) {
            String defaultValue = option.defaultValue();
            if (defaultValue == null) {
                continue;
            }
            Matcher matcher = ENV_VARIABLE.matcher(defaultValue);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        names.add(ApiTokens.ADMIN_TOKEN_ENV);
        names.add(ApiTokens.USER_TOKENS_ENV);
        return Optional.of(names);
    }

    /** Returns whether the application reads the variable when it runs the given launcher arguments. */
    static boolean isRead(String name, Set<String> commandVariables) {
        return commandVariables.contains(name)
            || JVM_OPTIONS_VARIABLES.contains(name)
            || (name.startsWith(KAFKA_PASS_THROUGH_PREFIX) && name.length() > KAFKA_PASS_THROUGH_PREFIX.length());
    }

    /**
     * Finds the subcommand that the arguments run: {@code agent ...} goes to the agent's command line, as in
     * {@link TokenMonitor#run}, and each further argument that names a subcommand descends one level.
     * Variable interpolation is off, so option defaults keep their {@code ${env:...}} text.
     */
    private static Optional<CommandLine> subcommand(List<String> arguments) {
        if (arguments.isEmpty()) {
            return Optional.empty();
        }
        CommandLine current;
        List<String> rest;
        if (arguments.get(0).equals("agent")) {
            current = AgentCommand.commandLine(AgentClients.kafka());
            rest = arguments.subList(1, arguments.size());
        } else {
            current = new CommandLine(new TokenMonitor());
            rest = arguments;
        }
        current.setInterpolateVariables(false);

        boolean descended = arguments.get(0).equals("agent");
        for (String argument : rest) {
            CommandLine next = current.getSubcommands().get(argument);
            if (next == null) {
                break;
            }
            current = next;
            descended = true;
        }
        return descended && current.getSubcommands().isEmpty() ? Optional.of(current) : Optional.empty();
    }
}
