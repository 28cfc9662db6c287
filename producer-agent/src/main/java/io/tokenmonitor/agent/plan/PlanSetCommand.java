package io.tokenmonitor.agent.plan;

import io.tokenmonitor.agent.ConnectionOptions;
import io.tokenmonitor.agent.SingleRecordSend;
import io.tokenmonitor.agent.TextOptions;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.topics.Topics;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code plan set} subcommand: writes a user's plan to the user-plans topic. */
@Command(name = "set",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a user's plan to the compacted user-plans topic, keyed by the user id, and waits until all "
            + "in-sync replicas have it. The newest plan of a user replaces the previous one.",
        "Prints the plan sent as one JSON line on stdout; where it was written, and errors, go to stderr."})
public final class PlanSetCommand implements Callable<Integer> {

    /** Smallest and largest percent of the limit accepted for a threshold or the hard stop. */
    static final int MIN_PERCENT = 1;
    static final int MAX_PERCENT = 1000;

    @ParentCommand
    PlanCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--user", required = true, paramLabel = "USER_ID",
        description = "The user the plan is for: 1 to 256 characters without control characters.")
    String userId;

    @Option(names = "--plan-name", paramLabel = "NAME", defaultValue = "custom",
        description = "Display name of the plan, for example hf-pro (default: ${DEFAULT-VALUE}).")
    String planName;

    @Option(names = "--limit", required = true, paramLabel = "TOKENS",
        description = "Tokens the user may use per billing period; a positive whole number.")
    long monthlyTokenLimit;

    @Option(names = "--thresholds", paramLabel = "PERCENT[,...]", split = ",", defaultValue = "50,80,90,100",
        description = "Alert thresholds in percent of the limit, comma-separated, each from 1 to 1000 and "
            + "distinct; sent in ascending order (default: ${DEFAULT-VALUE}).")
    List<Integer> thresholdsPercent;

    @Option(names = "--hard-stop", paramLabel = "PERCENT",
        description = "Percent of the limit, 1 to 1000, past which the user's application should stop sending "
            + "requests (default: no hard stop).")
    Integer hardStopPercent;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "Time zone of the billing calendar, an IANA id such as Europe/Paris, or a fixed offset "
            + "such as +02:00 (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Option(names = "--anchor-day", paramLabel = "DAY", defaultValue = "1",
        description = "Day of the month, 1 to 31, on which each billing period starts at 00:00 local time; a day "
            + "past the end of a month means its last day (default: ${DEFAULT-VALUE}).")
    int anchorDay;

    @Override
    public Integer call() {
        UserPlan plan = validatedPlan(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return SingleRecordSend.execute(spec, parent.clients(), connection, Topics.USER_PLANS, plan.getUserId(), plan,
            "plan of user '" + plan.getUserId() + "'");
    }

    /**
     * Returns the plan that the options describe, with thresholds sorted and the time zone id normalized.
     *
     * @param updatedAt when the plan was set, in whole milliseconds as the topic stores it
     * @throws ParameterException if an option is invalid
     */
    UserPlan validatedPlan(Instant updatedAt) {
        TextOptions.requireValid(spec, "--user", userId);
        TextOptions.requireValid(spec, "--plan-name", planName);
        if (monthlyTokenLimit < 1) {
            throw invalid("Invalid --limit " + monthlyTokenLimit + ": expected a positive number of tokens");
        }
        List<Integer> thresholds = validatedThresholds();
        if (hardStopPercent != null && !isPercentInRange(hardStopPercent)) {
            throw invalid("Invalid --hard-stop " + hardStopPercent + ": expected a percent from " + MIN_PERCENT
                + " to " + MAX_PERCENT);
        }
        ZoneId zone = validatedZone();
        if (anchorDay < 1 || anchorDay > 31) {
            throw invalid("Invalid --anchor-day " + anchorDay + ": expected a day of the month from 1 to 31");
        }

        return UserPlan.newBuilder()
            .setUserId(userId)
            .setPlanName(planName)
            .setMonthlyTokenLimit(monthlyTokenLimit)
            .setThresholdsPercent(thresholds)
            .setHardStopPercent(hardStopPercent)
            .setTimeZone(zone.getId())
            .setAnchorDay(anchorDay)
            .setUpdatedAt(updatedAt)
            .build();
    }

    private List<Integer> validatedThresholds() {
        if (thresholdsPercent.isEmpty()) {
            throw invalid("Invalid --thresholds: expected at least one percent");
        }
        Set<Integer> seen = new HashSet<>();
        for (int threshold : thresholdsPercent) {
            if (!isPercentInRange(threshold)) {
                throw invalid("Invalid --thresholds value " + threshold + ": expected a percent from " + MIN_PERCENT
                    + " to " + MAX_PERCENT);
            }
            if (!seen.add(threshold)) {
                throw invalid("Invalid --thresholds: " + threshold + " is given more than once");
            }
        }
        return thresholdsPercent.stream().sorted().toList();
    }

    /**
     * Accepts only the IANA ids of the JDK's time-zone database, as the processor does, so every id sent is
     * accepted there. An abbreviation such as "PST" or a bare offset such as "+05:30" is rejected with a hint.
     */
    private ZoneId validatedZone() {
        String invalidMessage = "Invalid --time-zone '" + TextOptions.escapeControls(timeZone)
            + "': expected an IANA time zone id such as Europe/Paris, UTC or Etc/GMT-3" + abbreviationHint(timeZone);
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw invalid(invalidMessage);
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw invalid(invalidMessage);
        }
    }

    /** Returns a hint that names the meaning of an abbreviation in {@link ZoneId#SHORT_IDS}, else "". */
    static String abbreviationHint(String value) {
        String meaning = ZoneId.SHORT_IDS.get(value);
        if (meaning == null) {
            return "";
        }
        if (meaning.startsWith("+") || meaning.startsWith("-")) {
            return "; '" + value + "' is an abbreviation of the fixed offset " + meaning + ", use a region id";
        }
        return "; '" + value + "' is an abbreviation, use a region id such as " + meaning;
    }

    private static boolean isPercentInRange(int percent) {
        return percent >= MIN_PERCENT && percent <= MAX_PERCENT;
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
