package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors for invalid environment variables, from the launcher in a child JVM, because a test cannot set its own. */
class EnvironmentVariableErrorTest {

    @TempDir
    Path workDir;

    @Test
    void invalidProcessorVariableIsNamed() throws Exception {
        String stderr = runUntilExit(List.of("processor"), "TOKEN_MONITOR_HTTP_PORT", "abc");

        assertTrue(stderr.contains("Invalid value for option '--http-port': 'abc' is not an int"), stderr);
        assertTrue(stderr.contains("(set by environment variable TOKEN_MONITOR_HTTP_PORT)"), stderr);
    }

    @Test
    void invalidAgentVariableIsNamed() throws Exception {
        String stderr = runUntilExit(List.of("agent", "simulate"), "TOKEN_MONITOR_RATE", "fast");

        assertTrue(stderr.contains("'fast' is not a double"), stderr);
        assertTrue(stderr.contains("(set by environment variable TOKEN_MONITOR_RATE)"), stderr);
    }

    /** Runs {@code token-monitor ARGUMENTS} with one variable set, expects exit code 2, and returns stderr. */
    private String runUntilExit(List<String> arguments, String variable, String value) throws Exception {
        Path stderr = workDir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), TokenMonitor.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(workDir.resolve("stdout.txt").toFile())
            .redirectError(stderr.toFile());
        builder.environment().put(variable, value);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not exit within 60 s");
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        return output;
    }
}
