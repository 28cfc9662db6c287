package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ApiTokens;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The bearer tokens of the processor's HTTP API, for the processor and demo commands. See {@link ApiTokens}
 * for the file format, the environment variables and which source wins.
 */
final class TokenOptions {

    @Option(names = "--admin-token", paramLabel = "TOKEN",
        description = "Admin bearer token of the HTTP API, at least 16 characters (default: the environment "
            + "variable " + ApiTokens.ADMIN_TOKEN_ENV + ", else the 'admin' entry of --tokens-file). Prefer the "
            + "variable or the file: other local users can read command lines.")
    String adminToken;

    @Option(names = "--tokens-file", defaultValue = "${env:TOKEN_MONITOR_TOKENS_FILE}", paramLabel = "FILE",
        description = "Java properties file of bearer tokens: admin=<token> and user.<userId>=<token>. The "
            + "environment variable " + ApiTokens.USER_TOKENS_ENV + " (user1=token1,user2=token2) adds user "
            + "tokens and replaces the file's for the same user (environment variable TOKEN_MONITOR_TOKENS_FILE).")
    Path tokensFile;

    /**
     * Returns the tokens from these options and the environment.
     *
     * @throws IllegalArgumentException if no admin token is set or a token is invalid
     */
    ApiTokens load(Map<String, String> environment) {
        return ApiTokens.load(adminToken, tokensFile, environment);
    }
}
