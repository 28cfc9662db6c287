package io.tokenmonitor.agent.usage;

import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.SingleRecordSend;
import io.tokenmonitor.agent.TextOptions;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.topics.Topics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code usage reset} subcommand: requests that a user's current billing period be zeroed. */
@Command(name = "reset",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a reset request to the usage-resets topic, keyed by the user id, and waits until all in-sync "
            + "replicas have it. The processor zeroes the billing period that contains the request time, so "
            + "the period's alerts can fire again.",
        "Prints the request sent as one JSON line on stdout; where it was written, and errors, go to stderr."})
public final class UsageResetCommand implements Callable<Integer> {

    @ParentCommand
    UsageCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--user", required = true, paramLabel = "USER_ID",
        description = "The user whose current billing period to reset.")
    String userId;

    @Option(names = "--requested-by", paramLabel = "NAME",
        description = "Who requests the reset, stored with it (default: the operating system user name).")
    String requestedBy;

    @Override
    public Integer call() {
        UsageReset reset = validatedReset(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
            System.getProperty("user.name"));
        return SingleRecordSend.execute(spec, parent.clients(), connection, Topics.USAGE_RESETS, reset.getUserId(),
            reset, "usage reset of user '" + reset.getUserId() + "'");
    }

    /**
     * Returns the reset request that the options describe.
     *
     * @param osUserName the requester when --requested-by is not given; null or blank leaves it unknown
     * @throws ParameterException if an option is invalid
     */
    UsageReset validatedReset(String resetId, Instant requestedAt, String osUserName) {
        TextOptions.requireValid(spec, "--user", userId);
        String requester;
        if (requestedBy != null) {
            requester = TextOptions.requireValid(spec, "--requested-by", requestedBy);
        } else if (osUserName != null && !osUserName.isBlank()) {
            requester = osUserName;
        } else {
            requester = null;
        }

        return UsageReset.newBuilder()
            .setResetId(resetId)
            .setUserId(userId)
            .setRequestedAt(requestedAt)
            .setRequestedBy(requester)
            .build();
    }
}
