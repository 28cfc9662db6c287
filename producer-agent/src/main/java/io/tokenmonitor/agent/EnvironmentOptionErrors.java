package io.tokenmonitor.agent;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A parameter error handler that names the environment variable an invalid option value came from. picocli
 * reports {@code TOKEN_MONITOR_HTTP_PORT=abc} as an invalid {@code --http-port}, an option the user may never
 * have typed. Other errors go to picocli's own handler unchanged.
 */
public final class EnvironmentOptionErrors implements IParameterExceptionHandler {

    /** The variable of a default such as {@code ${env:TOKEN_MONITOR_HTTP_PORT:-8080}}. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

    private final IParameterExceptionHandler standard;
    private final UnaryOperator<String> environment;

    /**
     * Creates a handler that reads variables with {@code environment} and prints through {@code standard}.
     *
     * @param environment returns a variable's value, or null when it is not set
     */
    EnvironmentOptionErrors(IParameterExceptionHandler standard, UnaryOperator<String> environment) {
        this.standard = standard;
        this.environment = environment;
    }

    /** Installs the handler on {@code commandLine}, in front of the handler it had. */
    public static CommandLine install(CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(
            new EnvironmentOptionErrors(commandLine.getParameterExceptionHandler(), System::getenv));
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) throws Exception {
        Optional<String> variable = sourceVariable(error, args);
        if (variable.isEmpty()) {
            return standard.handleParseException(error, args);
        }
        ParameterException named = new ParameterException(error.getCommandLine(),
            error.getMessage() + " (set by environment variable " + variable.get() + ")", error,
            error.getArgSpec(), error.getValue());
        return standard.handleParseException(named, args);
    }

    /**
     * Returns the environment variable that supplied the rejected value: the option's default reads it, it is
     * set to that value, and the option is not on the command line.
     */
    Optional<String> sourceVariable(ParameterException error, String[] args) {
        ArgSpec argument = error.getArgSpec();
        if (!(argument instanceof OptionSpec option) || option.defaultValueString() == null) {
            return Optional.empty();
        }
        // defaultValueString() returns the declared default before ${env:...} is replaced.
        Matcher matcher = ENV_DEFAULT.matcher(option.defaultValueString());
        if (!matcher.find()) {
            return Optional.empty();
        }
        String variable = matcher.group(1);
        String value = environment.apply(variable);
        if (value == null || !value.equals(error.getValue()) || onCommandLine(option, args)) {
            return Optional.empty();
        }
        return Optional.of(variable);
    }

    private static boolean onCommandLine(OptionSpec option, String[] args) {
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }
}
