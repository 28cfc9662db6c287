package io.tokenmonitor.processor.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final String BOB = "bob-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void loadsTokensFileWithAdminAndUsers() throws Exception {
        Path file = writeFile("# tokens\nadmin=" + ADMIN + "\nuser.alice=" + ALICE + "\nuser.bob = " + BOB + "\n");

        ApiTokens tokens = ApiTokens.load(null, file, Map.of());

        assertArrayEquals(ApiTokens.digest(ADMIN), tokens.adminDigest());
        assertEquals(2, tokens.userDigests().size());
        assertArrayEquals(ApiTokens.digest(ALICE), tokens.userDigests().get("alice"));
        assertArrayEquals(ApiTokens.digest(BOB), tokens.userDigests().get("bob"));
    }

    @Test
    void adminFlagWinsOverEnvironmentAndFile() throws Exception {
        String flag = "flag-token-0123456789abcdef";
        String env = "env-token-0123456789abcdef";
        Path file = writeFile("admin=" + ADMIN + "\n");

        ApiTokens fromFlag = ApiTokens.load(flag, file, Map.of(ApiTokens.ADMIN_TOKEN_ENV, env));
        ApiTokens fromEnv = ApiTokens.load(null, file, Map.of(ApiTokens.ADMIN_TOKEN_ENV, env));
        ApiTokens fromFile = ApiTokens.load(null, file, Map.of());

        assertArrayEquals(ApiTokens.digest(flag), fromFlag.adminDigest());
        assertArrayEquals(ApiTokens.digest(env), fromEnv.adminDigest());
        assertArrayEquals(ApiTokens.digest(ADMIN), fromFile.adminDigest());
    }

    @Test
    void environmentUserTokensReplaceFileEntries() throws Exception {
        String newAlice = "alice-new-token-0123456789";
        Path file = writeFile("admin=" + ADMIN + "\nuser.alice=" + ALICE + "\n");

        ApiTokens tokens = ApiTokens.load(null, file,
            Map.of(ApiTokens.USER_TOKENS_ENV, "alice=" + newAlice + ", bob=" + BOB));

        assertArrayEquals(ApiTokens.digest(newAlice), tokens.userDigests().get("alice"));
        assertArrayEquals(ApiTokens.digest(BOB), tokens.userDigests().get("bob"));
    }

    @Test
    void missingAdminTokenNamesTheOptions() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.load(null, null, Map.of(ApiTokens.USER_TOKENS_ENV, "alice=" + ALICE)));
        assertTrue(error.getMessage().contains("--admin-token"), error.getMessage());
        assertTrue(error.getMessage().contains(ApiTokens.ADMIN_TOKEN_ENV), error.getMessage());
    }

    @Test
    void shortTokenIsRejectedWithoutEchoingIt() {
        String weak = "short-secret";
        IllegalArgumentException admin = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.of(weak, Map.of()));
        assertTrue(admin.getMessage().contains("16"), admin.getMessage());
        assertFalse(admin.getMessage().contains(weak), admin.getMessage());

        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.of(ADMIN, Map.of("alice", weak)));
        assertTrue(user.getMessage().contains("alice"), user.getMessage());
        assertFalse(user.getMessage().contains(weak), user.getMessage());
    }

    @Test
    void tokenWithSpaceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ApiTokens.of("admin token 0123456789abcdef", Map.of()));
    }

    @Test
    void sharedTokenIsRejected() {
        IllegalArgumentException withAdmin = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.of(ADMIN, Map.of("alice", ADMIN)));
        assertTrue(withAdmin.getMessage().contains("admin"), withAdmin.getMessage());
        assertFalse(withAdmin.getMessage().contains(ADMIN), withAdmin.getMessage());

        IllegalArgumentException betweenUsers = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.of(ADMIN, Map.of("alice", ALICE, "bob", ALICE)));
        assertFalse(betweenUsers.getMessage().contains(ALICE), betweenUsers.getMessage());
    }

    @Test
    void malformedEnvironmentEntryIsRejectedWithoutEchoingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.load(ADMIN, null, Map.of(ApiTokens.USER_TOKENS_ENV, "alice=" + ALICE + "," + BOB)));
        assertTrue(error.getMessage().contains("entry 2"), error.getMessage());
        assertFalse(error.getMessage().contains(BOB), error.getMessage());
    }

    @Test
    void unknownFileKeyIsRejected() throws Exception {
        Path file = writeFile("admin=" + ADMIN + "\nalice=" + ALICE + "\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.load(null, file, Map.of()));
        assertTrue(error.getMessage().contains("user.<userId>"), error.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path missing = dir.resolve("absent.properties");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> ApiTokens.load(ADMIN, missing, Map.of()));
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    @Test
    void toStringRevealsNoToken() {
        ApiTokens tokens = ApiTokens.of(ADMIN, Map.of("alice", ALICE));
        String text = tokens.toString();
        assertFalse(text.contains(ADMIN), text);
        assertFalse(text.contains(ALICE), text);
        assertTrue(text.contains("1 user tokens"), text);
    }

    private Path writeFile(String content) throws Exception {
        Path file = dir.resolve("tokens.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
