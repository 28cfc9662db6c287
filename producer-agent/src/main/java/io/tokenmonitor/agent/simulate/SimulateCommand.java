package io.tokenmonitor.agent.simulate;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.DurationConverter;
import io.tokenmonitor.agent.PrivacyOptions;
import io.tokenmonitor.agent.SendRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code simulate} subcommand: sends synthetic requests of many users. */
@Command(name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Sends synthetic requests to the token-requests topic, with the current time as event time, and "
            + "prints 'sent=N failed=N skipped=0' at the end.",
        "Runs until --count or --duration is reached, whichever comes first, or until Ctrl-C."})
public final class SimulateCommand implements Callable<Integer> {

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PrivacyOptions privacy;

    @Option(names = "--users", paramLabel = "N", defaultValue = "${env:TOKEN_MONITOR_USERS:-10}",
        description = "Number of users, named user-1..user-N (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--rate", paramLabel = "REQUESTS_PER_SECOND",
        defaultValue = "${env:TOKEN_MONITOR_RATE:-10}",
        description = "Requests sent per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", paramLabel = "N",
        description = "Stop after sending this many requests (default: no limit).")
    Long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Stop after this long, for example 30s, 5m or 1h (default: no limit).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "SEED",
        description = "Seed of the random choices of users, models, providers, token counts and texts, "
            + "to repeat a run (default: a random seed). Request ids stay random.")
    Long seed;

    @Option(names = "--reported-percent", paramLabel = "PERCENT",
        defaultValue = "${env:TOKEN_MONITOR_REPORTED_PERCENT:-50}",
        description = "Percentage of requests that carry provider-reported token counts; the others carry "
            + "only prompt and completion text (default: ${DEFAULT-VALUE}).")
    int reportedPercent;

    @Option(names = "--texts", paramLabel = "FILE", defaultValue = "${env:TOKEN_MONITOR_TEXTS}",
        description = "A JSON array of benchmark outputs (instruction, output, generator) to draw real "
            + "prompt and completion texts from (default: generated filler text; environment variable "
            + "TOKEN_MONITOR_TEXTS).")
    Path textsFile;

    @Override
    public Integer call() throws Exception {
        validate();
        TextSource texts = loadTexts();
        Random random = seed != null ? new Random(seed) : new Random();
        RequestGenerator generator = new RequestGenerator(users, reportedPercent, random, texts, Clock.systemUTC());
        SimulatedSource source = new SimulatedSource(generator, count != null ? count : 0, duration, System::nanoTime);
        return SendRun.execute(parent.clients(), connection, privacy.apply(source), rate,
            spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private void validate() {
        if (users < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --users " + users + ": expected 1 or more");
        }
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid --rate " + rate + ": expected 0 or more");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid --count " + count + ": expected 1 or more");
        }
        if (duration != null && duration.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid --duration 0: expected a positive duration");
        }
        if (reportedPercent < 0 || reportedPercent > 100) {
            throw new ParameterException(spec.commandLine(),
                "Invalid --reported-percent " + reportedPercent + ": expected 0 to 100");
        }
    }

    private TextSource loadTexts() {
        if (textsFile == null) {
            return new SyntheticTexts();
        }
        try {
            return SampledTexts.load(textsFile);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                "Cannot read texts from --texts " + textsFile + ": " + e.getMessage());
        }
    }
}
