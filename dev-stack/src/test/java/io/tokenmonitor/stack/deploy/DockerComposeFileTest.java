package io.tokenmonitor.stack.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks docker-compose.yml at the repository root without a container engine: the environment names
 * against the launcher's picocli model, the broker's listeners, the bootstrap servers, the registry URL, the
 * processors' HTTP settings, the published ports and the start order. Broken copies show that each check
 * can fail. When Docker Compose is installed, {@code docker-compose config -q} validates the file too.
 */
class DockerComposeFileTest {

    private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

    /** A placeholder for the variable the file requires; it is no real token. */
    private static final String PLACEHOLDER_ADMIN_TOKEN = "placeholder-token-for-config-check";

    private static ComposeFile compose;

    @BeforeAll
    static void readComposeFile() throws IOException {
        compose = ComposeFile.read(COMPOSE_FILE);
    }

    @Test
    void environmentNamesAreRead() {
        assertEquals(List.of(), new ComposeFileChecks(compose).environmentNamesAreRead());
    }

    @Test
    void tokensComeFromEnvironment() {
        assertEquals(List.of(), new ComposeFileChecks(compose).tokensComeFromTheEnvironment());
    }

    @Test
    void advertisedListenersAreDeclared() {
        assertEquals(List.of(), new ComposeFileChecks(compose).advertisedListenersAreDeclared());
    }

    @Test
    void bootstrapServersReachBroker() {
        assertEquals(List.of(), new ComposeFileChecks(compose).bootstrapServersReachBroker());
    }

    @Test
    void registryUrlMatchesRegistry() {
        assertEquals(List.of(), new ComposeFileChecks(compose).registryUrlMatchesRegistry());
    }

    @Test
    void processorsAdvertiseServiceNames() {
        assertEquals(List.of(), new ComposeFileChecks(compose).processorsAdvertiseThemselves());
    }

    @Test
    void publishedPortsAreLocalAndUnique() {
        assertEquals(List.of(), new ComposeFileChecks(compose).publishedPortsAreLocalAndUnique());
    }

    @Test
    void topicsRunBeforeProcessors() {
        assertEquals(List.of(), new ComposeFileChecks(compose).topicsRunBeforeProcessors());
    }

    /** A broken copy of the file, the check that must report it, and a phrase the report must contain. */
    record BrokenCopy(String name, Consumer<ComposeFile> breakIt, Function<ComposeFileChecks, List<String>> check,
            String expectedProblem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> brokenCopies() {
        return Stream.of(
            new BrokenCopy("unknown environment variable",
                copy -> environment(copy, "processor-2").put("TOKEN_MONITOR_NO_SUCH_SETTING", "1"),
                ComposeFileChecks::environmentNamesAreRead, "TOKEN_MONITOR_NO_SUCH_SETTING is not read"),
            new BrokenCopy("processor variable on the agent",
                copy -> environment(copy, "simulate").put("TOKEN_MONITOR_ADVERTISED_HOST", "simulate"),
                ComposeFileChecks::environmentNamesAreRead, "TOKEN_MONITOR_ADVERTISED_HOST is not read"),
            new BrokenCopy("unknown subcommand",
                copy -> command(copy, "alerts", "agent", "no-such-command"),
                ComposeFileChecks::environmentNamesAreRead, "names no subcommand"),
            new BrokenCopy("committed admin token",
                copy -> environment(copy, "processor-1").put("TOKEN_MONITOR_ADMIN_TOKEN", "committed-secret-token"),
                ComposeFileChecks::tokensComeFromTheEnvironment, "TOKEN_MONITOR_ADMIN_TOKEN must be"),
            new BrokenCopy("undeclared advertised listener",
                copy -> environment(copy, "kafka").put("KAFKA_ADVERTISED_LISTENERS",
                    "OTHER://kafka:29092,HOST://127.0.0.1:9092"),
                ComposeFileChecks::advertisedListenersAreDeclared, "OTHER is not in KAFKA_LISTENERS"),
            new BrokenCopy("internal listener on a wrong host",
                copy -> environment(copy, "kafka").put("KAFKA_ADVERTISED_LISTENERS",
                    "INTERNAL://broker:29092,HOST://127.0.0.1:9092"),
                ComposeFileChecks::advertisedListenersAreDeclared, "advertises host broker"),
            new BrokenCopy("host listener on an unpublished port",
                copy -> environment(copy, "kafka").put("KAFKA_ADVERTISED_LISTENERS",
                    "INTERNAL://kafka:29092,HOST://127.0.0.1:9094"),
                ComposeFileChecks::advertisedListenersAreDeclared, "host port 9094 is not published"),
            new BrokenCopy("bootstrap servers on the host listener",
                copy -> environment(copy, "processor-1").put("TOKEN_MONITOR_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                ComposeFileChecks::bootstrapServersReachBroker, "processor-1: bootstrap server 127.0.0.1:9092"),
            new BrokenCopy("registry on a wrong bootstrap port",
                copy -> environment(copy, "schema-registry").put("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS",
                    "PLAINTEXT://kafka:9092"),
                ComposeFileChecks::bootstrapServersReachBroker, "schema-registry: bootstrap server"),
            new BrokenCopy("missing bootstrap servers",
                copy -> environment(copy, "topics").remove("TOKEN_MONITOR_BOOTSTRAP_SERVERS"),
                ComposeFileChecks::bootstrapServersReachBroker, "topics: TOKEN_MONITOR_BOOTSTRAP_SERVERS is missing"),
            new BrokenCopy("registry URL on a wrong host",
                copy -> environment(copy, "alerts").put("TOKEN_MONITOR_SCHEMA_REGISTRY_URL", "http://registry:8081"),
                ComposeFileChecks::registryUrlMatchesRegistry, "alerts: TOKEN_MONITOR_SCHEMA_REGISTRY_URL is"),
            new BrokenCopy("registry listening on another port",
                copy -> environment(copy, "schema-registry").put("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8085"),
                ComposeFileChecks::registryUrlMatchesRegistry, "expected http://schema-registry:8085"),
            new BrokenCopy("advertised host of the other processor",
                copy -> environment(copy, "processor-2").put("TOKEN_MONITOR_ADVERTISED_HOST", "processor-1"),
                ComposeFileChecks::processorsAdvertiseThemselves, "processor-2: TOKEN_MONITOR_ADVERTISED_HOST"),
            new BrokenCopy("HTTP port not published",
                copy -> environment(copy, "processor-1").put("TOKEN_MONITOR_HTTP_PORT", "8090"),
                ComposeFileChecks::processorsAdvertiseThemselves, "HTTP port 8090 is not a published"),
            new BrokenCopy("healthcheck on another port",
                copy -> healthcheck(copy, "processor-2", "curl --fail http://127.0.0.1:9999/health"),
                ComposeFileChecks::processorsAdvertiseThemselves, "does not call /health on port 8080"),
            new BrokenCopy("port on every interface",
                copy -> ports(copy, "schema-registry", "8081:8081"),
                ComposeFileChecks::publishedPortsAreLocalAndUnique, "published on every interface"),
            new BrokenCopy("host port published twice",
                copy -> ports(copy, "processor-2", "127.0.0.1:8080:8080"),
                ComposeFileChecks::publishedPortsAreLocalAndUnique, "already published by processor-1"),
            new BrokenCopy("processor started before topics",
                copy -> dependsOn(copy, "processor-2").remove("topics"),
                ComposeFileChecks::topicsRunBeforeProcessors, "processor-2: depends on topics"))
            .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCopies")
    void brokenCopyIsReported(BrokenCopy broken, @TempDir Path directory) throws IOException {
        ComposeFile copy = compose.copy();
        broken.breakIt().accept(copy);
        Path file = directory.resolve("docker-compose.yml");
        copy.write(file);

        List<String> problems = broken.check().apply(new ComposeFileChecks(ComposeFile.read(file)));

        assertTrue(problems.stream().anyMatch(problem -> problem.contains(broken.expectedProblem())),
            "expected a problem containing '" + broken.expectedProblem() + "', got " + problems);
    }

    /**
     * Runs {@code docker-compose config -q}, which validates the file offline. Skipped when docker-compose
     * is not on the PATH, unless CI=true, where .ci/run installs it first.
     */
    @Test
    void composeConfigAcceptsFile() throws IOException, InterruptedException {
        String executable = findOnPath("docker-compose");
        if (executable == null) {
            String reason = "docker-compose is not on the PATH; install it with apt-get install docker-compose";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true, so the check fails instead of skipping)");
            }
            assumeTrue(false, reason);
        }

        ProcessBuilder builder = new ProcessBuilder(executable, "-f", COMPOSE_FILE.toString(), "config", "-q")
            .redirectErrorStream(true);
        builder.environment().put("TOKEN_MONITOR_ADMIN_TOKEN", PLACEHOLDER_ADMIN_TOKEN);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("docker-compose config timed out after 60 seconds");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "docker-compose config rejected the file: " + output);
    }

    @Test
    void composeConfigRequiresAdminToken() throws IOException, InterruptedException {
        String executable = findOnPath("docker-compose");
        assumeTrue(executable != null, "docker-compose is not on the PATH");

        ProcessBuilder builder = new ProcessBuilder(executable, "-f", COMPOSE_FILE.toString(), "config", "-q")
            .redirectErrorStream(true);
        builder.environment().remove("TOKEN_MONITOR_ADMIN_TOKEN");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("docker-compose config timed out after 60 seconds");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.exitValue() != 0, "docker-compose config accepted the file without an admin token");
        assertTrue(output.contains("TOKEN_MONITOR_ADMIN_TOKEN"), "the error names no variable: " + output);
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static ObjectNode environment(ComposeFile copy, String service) {
        return (ObjectNode) copy.service(service).get("environment");
    }

    private static ObjectNode dependsOn(ComposeFile copy, String service) {
        return (ObjectNode) copy.service(service).get("depends_on");
    }

    private static void command(ComposeFile copy, String service, String... words) {
        ArrayNode command = copy.service(service).putArray("command");
        for (String word : words) {
            command.add(word);
        }
    }

    private static void ports(ComposeFile copy, String service, String... ports) {
        ArrayNode list = copy.service(service).putArray("ports");
        for (String port : ports) {
            list.add(port);
        }
    }

    private static void healthcheck(ComposeFile copy, String service, String shellCommand) {
        ArrayNode test = ((ObjectNode) copy.service(service).get("healthcheck")).putArray("test");
        test.add("CMD-SHELL");
        test.add(shellCommand);
    }
}
