package io.tokenmonitor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Undoes what a benchmark started when its JVM exits, also on Ctrl-C or SIGTERM: child processes are killed, the
 * broker is closed and temporary folders and files are deleted, newest first. Each action must be safe to run
 * after the benchmark already undid it.
 */
public final class ExitCleanup {

    private static final Deque<Runnable> ACTIONS = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::runAll, "benchmark-exit-cleanup"));
    }

    private ExitCleanup() {
    }

    /** Runs {@code action} when the JVM exits. */
    public static void register(Runnable action) {
        ACTIONS.addLast(action);
    }

    /** Kills {@code process} at once when the JVM exits, if it still runs then. */
    public static Process killOnExit(Process process) {
        register(process::destroyForcibly);
        return process;
    }

    /** Creates a temporary folder that is deleted, with its contents, when the JVM exits. */
    public static Path temporaryDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            register(() -> BenchStack.deleteTree(directory));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a temporary folder " + prefix + "*", e);
        }
    }

    /** Creates a temporary file that is deleted when the JVM exits. */
    public static Path temporaryFile(String prefix, String suffix) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            register(() -> BenchStack.deleteTree(file));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a temporary file " + prefix + "*" + suffix, e);
        }
    }

    private static void runAll() {
        for (Runnable action = ACTIONS.pollLast(); action != null; action = ACTIONS.pollLast()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("Benchmark cleanup at exit failed: " + e.getMessage());
            }
        }
    }
}
