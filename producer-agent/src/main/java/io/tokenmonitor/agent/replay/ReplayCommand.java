package io.tokenmonitor.agent.replay;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.InstantConverter;
import io.tokenmonitor.agent.PrivacyOptions;
import io.tokenmonitor.agent.SendRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code replay} subcommand: sends the records of a JSON array or JSON Lines file. */
@Command(name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Sends the requests in FILE to the token-requests topic and prints 'sent=N failed=N skipped=N'.",
        "FILE is either a JSON array of objects with instruction, output and generator fields, or JSON Lines "
            + "with one TokenRequest-shaped object per line (requestId, userId, timestamp as epoch "
            + "milliseconds or ISO-8601, model, provider, promptText, completionText, reportedPromptTokens, "
            + "reportedCompletionTokens, reportedTotalTokens, app). Invalid lines are reported on stderr and skipped."})
public final class ReplayCommand implements Callable<Integer> {

    /** Invalid records printed on stderr before the rest are only counted. */
    static final int MAX_PRINTED_INVALID_RECORDS = 100;

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PrivacyOptions privacy;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to replay.")
    Path file;

    @Option(names = "--users", paramLabel = "N",
        description = "Spread records round-robin over the user ids user-1..user-N, replacing the file's "
            + "user ids. Default: JSON Lines keep their userId, JSON arrays use user-1.")
    Integer users;

    @Option(names = "--rate", paramLabel = "RECORDS_PER_SECOND", defaultValue = "0",
        description = "Records sent per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
        description = "Start of the event-time range, inclusive: an ISO-8601 instant such as "
            + "2025-09-01T00:00:00Z, or a date meaning midnight UTC. With a range, record timestamps are "
            + "spread evenly over [from, to) in file order; without one, records keep their own timestamp "
            + "or get the time they are sent.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
        description = "End of the event-time range, exclusive, in the same format as --from "
            + "(default: the time the replay starts). Needs --from.")
    Instant to;

    @Override
    public Integer call() throws Exception {
        ReplayOptions options = new ReplayOptions(validatedUsers(), validatedRange(), Clock.systemUTC());
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "Replay file not found or not a regular file: " + file);
        }
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid --rate " + rate + ": expected 0 or more");
        }

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplaySource source;
        try {
            source = ReplaySource.open(file, options, new InvalidRecordPrinter(err, file.getFileName().toString()));
        } catch (ReplayInputException e) {
            err.println("Cannot replay " + file + ": " + e.getMessage());
            err.flush();
            return AgentCommand.EXIT_FAILURE;
        }
        return SendRun.execute(parent.clients(), connection, privacy.apply(source), rate, out, err);
    }

    private int validatedUsers() {
        if (users == null) {
            return 0;
        }
        if (users < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --users " + users + ": expected 1 or more");
        }
        return users;
    }

    private TimeRange validatedRange() {
        if (from == null) {
            if (to != null) {
                throw new ParameterException(spec.commandLine(), "--to needs --from");
            }
            return null;
        }
        Instant end = to != null ? to : Instant.now();
        if (!from.isBefore(end)) {
            throw new ParameterException(spec.commandLine(),
                "Invalid time range: --from " + from + " is not before --to " + end);
        }
        return new TimeRange(from, end);
    }

    /** Prints skipped records on stderr, the first {@link #MAX_PRINTED_INVALID_RECORDS} of them. */
    private static final class InvalidRecordPrinter implements InvalidRecordListener {
        private final PrintWriter err;
        private final String fileName;
        private long count;

        InvalidRecordPrinter(PrintWriter err, String fileName) {
            this.err = err;
            this.fileName = fileName;
        }

        @Override
        public void onInvalidRecord(String location, String reason) {
            count++;
            if (count <= MAX_PRINTED_INVALID_RECORDS) {
                err.println("Skipped " + location + " of " + fileName + ": " + reason);
            }
            if (count == MAX_PRINTED_INVALID_RECORDS) {
                err.println("Further invalid records are counted but not printed.");
            }
            err.flush();
        }
    }
}
