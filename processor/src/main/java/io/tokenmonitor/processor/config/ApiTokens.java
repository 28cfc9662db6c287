package io.tokenmonitor.processor.config;

import io.tokenmonitor.processor.validation.RequestValidator;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The bearer tokens of the HTTP API: one admin token, which reads every user's data, and at most one token
 * per user, which reads only that user's data. Only the SHA-256 digest of each token is kept, and
 * {@link #toString()} shows counts, never a token or digest.
 *
 * <p>Sources, from {@link #load}:
 * <ul>
 *   <li>the admin token: the {@code --admin-token} flag, else the environment variable
 *       {@value #ADMIN_TOKEN_ENV}, else the {@code admin} entry of the tokens file;</li>
 *   <li>user tokens: the {@code user.<userId>} entries of the tokens file (Java properties, UTF-8), then
 *       the environment variable {@value #USER_TOKENS_ENV} ({@code user1=token1,user2=token2}), whose
 *       entries replace the file's for the same user.</li>
 * </ul>
 * Every token must be {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} printable ASCII characters
 * without spaces or commas, and no two entries may share a token, so a token identifies exactly one caller.
 */
public final class ApiTokens {

    public static final String ADMIN_TOKEN_ENV = "TOKEN_MONITOR_ADMIN_TOKEN";
    public static final String USER_TOKENS_ENV = "TOKEN_MONITOR_USER_TOKENS";
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final int MAX_TOKEN_LENGTH = 512;

    private static final int GENERATED_TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String ADMIN_KEY = "admin";
    private static final String USER_KEY_PREFIX = "user.";

    private final byte[] adminDigest;
    private final Map<String, byte[]> userDigests;

    private ApiTokens(byte[] adminDigest, Map<String, byte[]> userDigests) {
        this.adminDigest = adminDigest;
        this.userDigests = Collections.unmodifiableMap(userDigests);
    }

    /**
     * Returns the tokens given directly, as the demo and the tests create them.
     *
     * @param adminToken the admin token
     * @param userTokens token per user id
     * @throws IllegalArgumentException if a token or user id is invalid or two entries share a token
     */
    public static ApiTokens of(String adminToken, Map<String, String> userTokens) {
        if (adminToken == null || adminToken.isEmpty()) {
            throw new IllegalArgumentException("No admin token configured: set --admin-token or the environment "
                + "variable " + ADMIN_TOKEN_ENV + ", or an 'admin' entry in the --tokens-file");
        }
        requireValidToken("admin token", adminToken);
        Map<String, String> seen = new TreeMap<>();
        seen.put(adminToken, "the admin token");

        Map<String, byte[]> userDigests = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(userTokens).entrySet()) {
            String userId = entry.getKey();
            String token = entry.getValue();
            requireValidUserId(userId);
            requireValidToken("token of user '" + userId + "'", token);
            String previous = seen.putIfAbsent(token, "the token of user '" + userId + "'");
            if (previous != null) {
                throw new IllegalArgumentException("The token of user '" + userId + "' equals " + previous
                    + "; give every user and the admin a token of their own");
            }
            userDigests.put(userId, digest(token));
        }
        return new ApiTokens(digest(adminToken), userDigests);
    }

    /**
     * Loads the tokens from the flag, the tokens file and the environment, as described on the class.
     *
     * @param adminTokenFlag the value of {@code --admin-token}, or null
     * @param tokensFile the value of {@code --tokens-file}, or null
     * @param environment the environment variables, usually {@link System#getenv()}
     * @throws IllegalArgumentException if no admin token is set, the file cannot be read, or an entry is invalid
     */
    public static ApiTokens load(String adminTokenFlag, Path tokensFile, Map<String, String> environment) {
        Properties file = tokensFile != null ? readTokensFile(tokensFile) : new Properties();
        Map<String, String> userTokens = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith(USER_KEY_PREFIX)) {
                userTokens.put(key.substring(USER_KEY_PREFIX.length()), file.getProperty(key).strip());
            } else if (!key.equals(ADMIN_KEY)) {
                throw new IllegalArgumentException("Invalid key '" + key + "' in tokens file " + tokensFile
                    + ": expected 'admin' or 'user.<userId>'");
            }
        }
        userTokens.putAll(parseUserTokens(environment.get(USER_TOKENS_ENV)));

        String adminToken = firstNonEmpty(adminTokenFlag, environment.get(ADMIN_TOKEN_ENV),
            file.getProperty(ADMIN_KEY));
        return of(adminToken == null ? null : adminToken.strip(), userTokens);
    }

    /**
     * Parses {@code user1=token1,user2=token2}; blank input gives no tokens.
     *
     * @throws IllegalArgumentException if an entry lacks '=' or a user id repeats
     */
    static Map<String, String> parseUserTokens(String value) {
        Map<String, String> tokens = new TreeMap<>();
        if (value == null || value.isBlank()) {
            return tokens;
        }
        String[] entries = value.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int separator = entry.indexOf('=');
            if (separator <= 0) {
                // The entry may be a token, so the message names its position, not its text.
                throw new IllegalArgumentException("Invalid entry " + (i + 1) + " in " + USER_TOKENS_ENV
                    + ": expected userId=token, with entries separated by commas");
            }
            String userId = entry.substring(0, separator).strip();
            if (tokens.put(userId, entry.substring(separator + 1).strip()) != null) {
                throw new IllegalArgumentException("User '" + userId + "' appears twice in " + USER_TOKENS_ENV);
            }
        }
        return tokens;
    }

    /** Returns the SHA-256 digest of the admin token. */
    public byte[] adminDigest() {
        return adminDigest.clone();
    }

    /** Returns the SHA-256 digest of each user's token, by user id. */
    public Map<String, byte[]> userDigests() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        userDigests.forEach((userId, digest) -> copy.put(userId, digest.clone()));
        return copy;
    }

    /** Returns a new random token: 32 bytes from {@link SecureRandom}, URL-safe base64 without padding. */
    public static String generate() {
        byte[] bytes = new byte[GENERATED_TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Returns the SHA-256 digest of a token's UTF-8 bytes. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiTokens[admin token set, " + userDigests.size() + " user tokens]";
    }

    private static Properties readTokensFile(Path tokensFile) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(tokensFile, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to read tokens file " + tokensFile + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static void requireValidToken(String name, String token) {
        if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException("Invalid " + name + ": expected " + MIN_TOKEN_LENGTH + " to "
                + MAX_TOKEN_LENGTH + " characters, got " + token.length()
                + "; generate one with: openssl rand -base64 32");
        }
        boolean printable = token.chars().allMatch(c -> c > ' ' && c < 127 && c != ',');
        if (!printable) {
            throw new IllegalArgumentException("Invalid " + name
                + ": expected printable ASCII characters without spaces or commas");
        }
    }

    private static void requireValidUserId(String userId) {
        if (userId.isBlank() || userId.length() > RequestValidator.MAX_ID_LENGTH
            || userId.chars().anyMatch(c -> Character.isISOControl(c) || c == ',' || c == '=')) {
            throw new IllegalArgumentException("Invalid user id '" + userId + "' for a token: expected 1 to "
                + RequestValidator.MAX_ID_LENGTH + " characters without control characters, ',' or '='");
        }
    }

    private static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
