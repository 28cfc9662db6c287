package io.tokenmonitor.agent;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The bearer token that agent commands send to the processor's HTTP API in {@code Authorization: Bearer}.
 * The token is never printed or logged.
 */
public final class ApiTokenOptions {

    /** The environment variable read when {@code --admin-token} is not given. */
    public static final String ADMIN_TOKEN_ENV = "TOKEN_MONITOR_ADMIN_TOKEN";

    @Option(names = "--admin-token", paramLabel = "TOKEN",
        description = "Admin bearer token of the processor's HTTP API (default: the environment variable "
            + ADMIN_TOKEN_ENV + "). Prefer the variable: other local users can read command lines.")
    String adminToken;

    /** Returns the token to send: {@code --admin-token}, else {@value #ADMIN_TOKEN_ENV}, else null. */
    public String bearerToken(Map<String, String> environment) {
        if (adminToken != null && !adminToken.isBlank()) {
            return adminToken.strip();
        }
        String fromEnvironment = environment.get(ADMIN_TOKEN_ENV);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
    }
}
