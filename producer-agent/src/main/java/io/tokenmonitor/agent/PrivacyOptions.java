package io.tokenmonitor.agent;

import io.tokenmonitor.agent.send.ProfilingSource;
import io.tokenmonitor.agent.send.RequestSource;
import picocli.CommandLine.Option;

/** The option of the sending subcommands that keeps prompt and completion texts on this machine. */
public final class PrivacyOptions {

    @Option(names = "--send-profile", defaultValue = "${env:TOKEN_MONITOR_SEND_PROFILE:-false}",
        description = "Sends each text's character counts and content profile instead of the text, so no prompt "
            + "or completion leaves this machine. The processor then estimates tokens from the profile, and "
            + "models it would count exactly get their family's calibrated estimate instead. TOKEN_MONITOR_SEND_PROFILE=true sets it.")
    boolean sendProfile;

    /** Returns the source to send from: the given one, or one that profiles its texts with --send-profile. */
    public RequestSource apply(RequestSource source) {
        return sendProfile ? new ProfilingSource(source) : source;
    }
}
