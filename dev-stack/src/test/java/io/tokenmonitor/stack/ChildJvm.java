package io.tokenmonitor.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code token-monitor} command in a child JVM with this test's classpath. Its stdout and stderr go to files
 * in a work directory, one pair per start, so the output of a killed process stays readable.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int TAIL_CHARS = 6000;

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code java JVM_OPTIONS -cp CLASSPATH io.tokenmonitor.stack.TokenMonitor ARGUMENTS}.
     *
     * @param name file name prefix of the output files, unique per start, such as {@code processor-3}
     * @param environment variables added to this JVM's environment
     */
    static ChildJvm start(String name, Path workDir, List<String> jvmOptions, List<String> arguments,
        Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TokenMonitor.class.getName()));
        command.addAll(arguments);
        Path stdout = workDir.resolve(name + "-stdout.txt");
        Path stderr = workDir.resolve(name + "-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new ChildJvm(name, builder.start(), stdout, stderr);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the process has printed {@code text} on stdout.
     *
     * @throws IllegalStateException if the process exits first or the timeout passes, with its output
     */
    void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.readString(stdout, StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " before printing '" + text + "'.\n" + outputTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + ".\n"
                    + outputTail());
            }
            Thread.sleep(100);
        }
    }

    /** Sends SIGKILL (on Linux, {@link Process#destroyForcibly()}) and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") still runs after SIGKILL");
        }
    }

    /** Returns the last characters of stdout and stderr, for failure messages. */
    String outputTail() throws IOException {
        return "--- " + stdout.getFileName() + " ---\n" + tail(stdout) + "\n--- " + stderr.getFileName() + " ---\n"
            + tail(stderr);
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() > TAIL_CHARS ? text.substring(text.length() - TAIL_CHARS) : text;
    }

    /** Stops the process with SIGTERM, then SIGKILL if it has not exited within 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
    }
}
