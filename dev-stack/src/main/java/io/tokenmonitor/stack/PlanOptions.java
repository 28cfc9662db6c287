package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.plan.DefaultPlan;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options of the default plan, the event-time rules and the size limit of texts, shared by the demo and
 * processor commands.
 */
final class PlanOptions {

    @Option(names = "--monthly-limit", defaultValue = "${env:TOKEN_MONITOR_MONTHLY_LIMIT:-1000000}",
        description = "Token limit per billing period of users without a plan (default: ${DEFAULT-VALUE}).")
    long monthlyLimit;

    @Option(names = "--default-thresholds", split = ",",
        defaultValue = "${env:TOKEN_MONITOR_DEFAULT_THRESHOLDS:-50,80,90,100}",
        description = "Alert thresholds in percent of the limit for users without a plan "
            + "(default: ${DEFAULT-VALUE}).")
    List<Integer> thresholdsPercent;

    @Option(names = "--default-time-zone", defaultValue = "${env:TOKEN_MONITOR_DEFAULT_TIME_ZONE:-UTC}",
        description = "IANA time zone of the billing calendar of users without a plan (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Option(names = "--default-anchor-day", defaultValue = "${env:TOKEN_MONITOR_DEFAULT_ANCHOR_DAY:-1}",
        description = "Day of the month, 1 to 31, billing periods start on for users without a plan "
            + "(default: ${DEFAULT-VALUE}).")
    int anchorDay;

    @Option(names = "--grace-period", defaultValue = "${env:TOKEN_MONITOR_GRACE_PERIOD:-PT24H}",
        description = "How long after its period ends a late event is still counted, ISO-8601 duration "
            + "(default: ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Option(names = "--max-clock-skew", defaultValue = "${env:TOKEN_MONITOR_MAX_CLOCK_SKEW:-PT5M}",
        description = "How far ahead of this machine's clock an event time may be, ISO-8601 duration "
            + "(default: ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Option(names = "--dedup-horizon", defaultValue = "${env:TOKEN_MONITOR_DEDUP_HORIZON:-P7D}",
        description = "How long request ids are remembered to drop duplicates, measured in event time, "
            + "ISO-8601 duration; events older than this before the latest accepted one are rejected as late, "
            + "imported ones too (default: ${DEFAULT-VALUE}).")
    Duration dedupHorizon;

    @Option(names = "--max-text-bytes", defaultValue = "${env:TOKEN_MONITOR_MAX_TEXT_BYTES:-1048576}",
        description = "Maximum size of a request's prompt text and, separately, its completion text, in UTF-8 "
            + "bytes; larger requests are dead-lettered as oversized (default: ${DEFAULT-VALUE}).")
    int maxTextBytes;

    /** Returns the settings with these options applied. */
    ProcessorConfig applyTo(ProcessorConfig config) {
        DefaultPlan plan = DefaultPlan.HF_PRO
            .withMonthlyTokenLimit(monthlyLimit)
            .withThresholdsPercent(thresholdsPercent)
            .withCalendar(timeZone, anchorDay);
        return config.withDefaultPlan(plan).withGracePeriod(gracePeriod).withMaxClockSkew(maxClockSkew)
            .withDedupHorizon(dedupHorizon).withMaxTextBytes(maxTextBytes);
    }
}
