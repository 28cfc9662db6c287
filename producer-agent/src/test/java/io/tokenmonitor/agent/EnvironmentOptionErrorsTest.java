package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

class EnvironmentOptionErrorsTest {

    @Command(name = "serve")
    static final class ServeCommand implements Runnable {

        @Option(names = {"-p", "--http-port"}, defaultValue = "${env:TOKEN_MONITOR_HTTP_PORT:-8080}")
        int port;

        @Option(names = "--workers", defaultValue = "4")
        int workers;

        @Override
        public void run() {
        }
    }

    private final CommandLine commandLine = new CommandLine(new ServeCommand());

    @Test
    void valueFromVariableNamesVariable() {
        EnvironmentOptionErrors errors = errors(Map.of("TOKEN_MONITOR_HTTP_PORT", "abc"));

        Optional<String> variable = errors.sourceVariable(invalid("--http-port", "abc"), new String[0]);

        assertEquals(Optional.of("TOKEN_MONITOR_HTTP_PORT"), variable);
    }

    @Test
    void optionOnCommandLineNamesNoVariable() {
        EnvironmentOptionErrors errors = errors(Map.of("TOKEN_MONITOR_HTTP_PORT", "abc"));

        assertEquals(Optional.empty(),
            errors.sourceVariable(invalid("--http-port", "abc"), new String[] {"--http-port=abc"}));
        assertEquals(Optional.empty(),
            errors.sourceVariable(invalid("--http-port", "abc"), new String[] {"-p", "abc"}));
    }

    @Test
    void unsetOrDifferentVariableNamesNone() {
        assertEquals(Optional.empty(),
            errors(Map.of()).sourceVariable(invalid("--http-port", "abc"), new String[0]));
        assertEquals(Optional.empty(), errors(Map.of("TOKEN_MONITOR_HTTP_PORT", "9000"))
            .sourceVariable(invalid("--http-port", "abc"), new String[0]));
    }

    @Test
    void optionWithoutVariableNamesNone() {
        EnvironmentOptionErrors errors = errors(Map.of("TOKEN_MONITOR_WORKERS", "many"));

        assertEquals(Optional.empty(), errors.sourceVariable(invalid("--workers", "many"), new String[0]));
    }

    @Test
    void handlerPrintsVariableAndUsage() throws Exception {
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        EnvironmentOptionErrors errors = errors(Map.of("TOKEN_MONITOR_HTTP_PORT", "abc"));

        int exitCode = errors.handleParseException(invalid("--http-port", "abc"), new String[0]);

        assertEquals(CommandLine.ExitCode.USAGE, exitCode);
        assertTrue(err.toString().contains(
            "Invalid value for option '--http-port': 'abc' is not an int (set by environment variable "
                + "TOKEN_MONITOR_HTTP_PORT)"), err.toString());
        assertTrue(err.toString().contains("Usage: serve"), err.toString());
    }

    @Test
    void handlerPassesOtherErrorsUnchanged() throws Exception {
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        EnvironmentOptionErrors errors = errors(Map.of());

        errors.handleParseException(invalid("--http-port", "abc"), new String[] {"--http-port", "abc"});

        assertTrue(err.toString().contains("Invalid value for option '--http-port': 'abc' is not an int"),
            err.toString());
        assertFalse(err.toString().contains("environment variable"), err.toString());
    }

    private EnvironmentOptionErrors errors(Map<String, String> environment) {
        return new EnvironmentOptionErrors(commandLine.getParameterExceptionHandler(), environment::get);
    }

    /** Returns the error picocli raises for a value of an int option that is not a number. */
    private ParameterException invalid(String optionName, String value) {
        OptionSpec option = commandLine.getCommandSpec().findOption(optionName);
        return new ParameterException(commandLine,
            "Invalid value for option '" + optionName + "': '" + value + "' is not an int", option, value);
    }
}
