package io.tokenmonitor.agent.localstorage;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.TextOptions;
import io.tokenmonitor.agent.send.RequestSender;
import io.tokenmonitor.agent.send.SendFailedException;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code import-local-storage} subcommand: moves a browser tracker's request history to the server. */
@Command(name = "import-local-storage",
    mixinStandardHelpOptions = true,
    description = {
        "Sends the request history that a browser-side tracker keeps in localStorage under the key tokenUsage "
            + "to the token-requests topic, as imported requests of one user with their reported token counts, "
            + "and prints 'sent=N failed=N skipped=N duplicates=N'.",
        "FILE is the JSON array itself, or a localStorage export object whose tokenUsage value is the array or "
            + "a JSON string of it. Each entry needs requestId, model and timestamp (epoch milliseconds or an "
            + "ISO-8601 date-time such as 2025-09-01T12:00:00.000Z); provider, promptTokens, completionTokens "
            + "and totalTokens are optional. estimatedCost is ignored: the processor prices every request itself. "
            + "A totalTokens that does not match promptTokens plus completionTokens is dropped and the parts sent.",
        "Invalid entries are reported on stderr with their index and skipped; later entries with a requestId "
            + "seen before in the file are counted as duplicates and skipped. Importing the same history again "
            + "changes no total, because the processor drops request ids it has already counted.",
        "The processor counts an imported request only if it is at most its deduplication horizon (7 days "
            + "unless configured) older than the newest request it has accepted on the user's partition; older "
            + "entries go to the dead-letter topic as late."})
public final class ImportLocalStorageCommand implements Callable<Integer> {

    /** Skipped or changed entries printed on stderr, of each kind, before the rest are only counted. */
    static final int MAX_PRINTED_ENTRIES = 100;

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file exported from the browser.")
    Path file;

    @Option(names = "--user", required = true, paramLabel = "USER_ID",
        description = "The user the imported requests are billed to, also the record key: 1 to 256 characters "
            + "without control characters.")
    String userId;

    @Override
    public Integer call() {
        TextOptions.requireValid(spec, "--user", userId);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "Import file not found or not a regular file: " + file);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        TrackerHistory history;
        try {
            history = TrackerHistory.read(file, userId);
        } catch (HistoryFormatException | IOException e) {
            err.println("Cannot import " + file + ": " + e.getMessage());
            err.flush();
            return AgentCommand.EXIT_FAILURE;
        }
        printProblems(history, err);
        if (history.requests().isEmpty()) {
            printSummary(0, 0, history, out);
            return AgentCommand.EXIT_OK;
        }

        SchemaRegistryClient registry = parent.clients().registry(connection.schemaRegistryUrl());
        long sent;
        long failed;
        String stopReason = null;
        try (RequestSender sender = new RequestSender(
            parent.clients().producer(
                connection.producerProperties(RequestSender.producerProperties(connection.bootstrapServers())), registry),
            err)) {
            for (TokenRequest request : history.requests()) {
                try {
                    sender.send(request);
                } catch (SendFailedException e) {
                    stopReason = e.getMessage();
                    break;
                }
                if (sender.fatalFailure() != null) {
                    stopReason = sender.fatalFailure().toString();
                    break;
                }
            }
            sender.flush();
            sent = sender.acknowledged();
            failed = sender.failed();
        }

        if (stopReason != null) {
            err.println("Stopped because a send failed: " + stopReason);
            err.flush();
        }
        printSummary(sent, failed, history, out);
        return failed == 0 && stopReason == null ? AgentCommand.EXIT_OK : AgentCommand.EXIT_FAILURE;
    }

    private static void printSummary(long sent, long failed, TrackerHistory history, PrintWriter out) {
        out.println("sent=" + sent + " failed=" + failed + " skipped=" + history.skipped()
            + " duplicates=" + history.duplicates());
        out.flush();
    }

    private void printProblems(TrackerHistory history, PrintWriter err) {
        String fileName = file.getFileName().toString();
        printLimited(history.notes(), "Changed " + fileName + " ", "Further changed entries are not printed.", err);
        printLimited(history.problems(), "Skipped " + fileName + " ",
            "Further invalid entries are counted but not printed.", err);
        err.flush();
    }

    private static void printLimited(List<String> lines, String prefix, String overflow, PrintWriter err) {
        for (int i = 0; i < lines.size(); i++) {
            if (i == MAX_PRINTED_ENTRIES) {
                err.println(overflow);
                return;
            }
            err.println(prefix + lines.get(i));
        }
    }
}
