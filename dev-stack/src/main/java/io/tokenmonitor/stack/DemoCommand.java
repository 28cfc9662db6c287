package io.tokenmonitor.stack;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code token-monitor demo}: the whole product in one process. Starts the broker, the registry and the
 * processor, then feeds them simulated or replayed requests, and runs until stopped.
 *
 * <p>Unless an admin token is set, the demo generates one, and unless user tokens are set, it generates one
 * for {@value #DEMO_USER}. It prints them on stdout with ready-to-paste commands; they never go to the log.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs broker, Schema Registry, processor and agent in one process until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final String DEMO_USER = "user-1";

    @Option(names = "--http-port", defaultValue = "${env:TOKEN_MONITOR_HTTP_PORT:-8080}",
        description = "Port of the HTTP API (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    StackOptions stackOptions;

    @Mixin
    PlanOptions planOptions;

    @Mixin
    EstimationOptions estimationOptions;

    @Mixin
    RocksDbOptions rocksDbOptions;

    @Mixin
    TokenOptions tokenOptions;

    @Option(names = "--replay", paramLabel = "FILE",
        description = "Replays this file (a JSON array of instruction/output/generator records, or JSON Lines "
            + "of requests) instead of simulating traffic.")
    Path replayFile;

    @Option(names = "--users", defaultValue = "${env:TOKEN_MONITOR_USERS:-20}",
        description = "Number of users, user-1 to user-N, that requests are spread over (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--rate", defaultValue = "${env:TOKEN_MONITOR_RATE:-10}",
        description = "Requests per second, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    /** The latch the demo stops on, or null to create one that SIGTERM and Ctrl-C raise when the demo runs. */
    private final ShutdownLatch presetShutdown;

    DemoCommand() {
        this(null);
    }

    /** Creates a demo that runs until {@code shutdown} closes; tests close it to stop the demo. */
    DemoCommand(ShutdownLatch shutdown) {
        this.presetShutdown = shutdown;
    }

    @Override
    public Integer call() throws Exception {
        if (replayFile != null && !Files.isReadable(replayFile)) {
            System.err.println("Replay file not found or not readable: " + replayFile.toAbsolutePath());
            return 2;
        }
        // Invalid options fail here, before the broker starts.
        ProcessorConfig options = rocksDbOptions.applyTo(estimationOptions.applyTo(
            planOptions.applyTo(ProcessorConfig.defaults().withHttpPort(httpPort))));
        DemoTokens tokens = DemoTokens.create(tokenOptions, System.getenv());

        // Signal handlers are installed only now, because picocli creates every subcommand of the launcher.
        ShutdownLatch shutdown = presetShutdown != null ? presetShutdown : ShutdownLatch.onSignals();

        // The latch closes in reverse order: the processor (HTTP API, then Kafka Streams), the agent, the
        // registry and broker, and last the processor's state directory.
        Path stateDir = Files.createTempDirectory("token-monitor-demo-state");
        shutdown.register("demo state directory", () -> deleteRecursively(stateDir));

        StackCommand.DevStack stack = shutdown.register("Schema Registry and Kafka broker",
            StackCommand.DevStack.start(stackOptions, null));
        DemoAgent agent = shutdown.register("agent", new DemoAgent(agentArguments(stack)));
        ProcessorConfig config = options
            .withBootstrapServers(stack.bootstrapServers())
            .withSchemaRegistryUrl(stack.schemaRegistryUrl())
            .withStateDir(stateDir);
        TokenMonitorProcessor processor = shutdown.register("processor",
            TokenMonitorProcessor.start(config, new RestSchemaRegistryClient(stack.schemaRegistryUrl()),
                tokens.apiTokens()));
        processor.awaitRunning(START_TIMEOUT);

        printWelcome(stack, processor.httpPort(), tokens);
        agent.start(shutdown);
        return shutdown.awaitAndClose();
    }

    private void printWelcome(StackCommand.DevStack stack, int boundHttpPort, DemoTokens tokens) {
        String api = "http://127.0.0.1:" + boundHttpPort;
        String connection = "--bootstrap-servers " + stack.bootstrapServers()
            + " --schema-registry-url " + stack.schemaRegistryUrl();
        String adminHeader = "-H \"Authorization: Bearer $" + ApiTokens.ADMIN_TOKEN_ENV + "\"";
        System.out.println();
        System.out.println("Token Usage Monitor demo is running.");
        System.out.println("  Kafka broker     " + stack.bootstrapServers());
        System.out.println("  Schema Registry  " + stack.schemaRegistryUrl());
        System.out.println("  HTTP API         " + api + "/api/v1/");
        System.out.println("  Dashboard        " + api + "/");
        System.out.println("  Metrics          " + api + "/metrics");
        System.out.println("API tokens (shown only here; keep them private):");
        System.out.println("  Admin            " + (tokens.generatedAdminToken() != null
            ? tokens.generatedAdminToken() : "the one set by --admin-token, " + ApiTokens.ADMIN_TOKEN_ENV
            + " or --tokens-file"));
        if (tokens.generatedUserToken() != null) {
            System.out.println("  User " + DEMO_USER + "      " + tokens.generatedUserToken());
        }
        System.out.println("Paste into a shell:");
        if (tokens.generatedAdminToken() != null) {
            System.out.println("  export " + ApiTokens.ADMIN_TOKEN_ENV + "=" + tokens.generatedAdminToken());
        }
        System.out.println("  curl " + adminHeader + " " + api + "/api/v1/users/" + DEMO_USER + "/usage");
        System.out.println("  curl " + adminHeader + " '" + api + "/api/v1/users/" + DEMO_USER + "/requests?limit=5'");
        System.out.println("  curl " + adminHeader + " " + api + "/api/v1/stats");
        if (tokens.generatedUserToken() != null) {
            System.out.println("  curl -H \"Authorization: Bearer " + tokens.generatedUserToken() + "\" " + api
                + "/api/v1/users/" + DEMO_USER + "/usage");
        }
        System.out.println("Watch alerts in another terminal:");
        System.out.println("  ./token-monitor agent alerts --from-beginning " + connection);
        System.out.println("Press Ctrl-C to stop; all demo data is deleted on exit.");
        System.out.println();
    }

    private List<String> agentArguments(StackCommand.DevStack stack) {
        List<String> args = new ArrayList<>();
        if (replayFile != null) {
            args.addAll(List.of("replay", replayFile.toString()));
        } else {
            args.add("simulate");
        }
        args.addAll(List.of("--users", Integer.toString(users), "--rate", Double.toString(rate),
            "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry-url", stack.schemaRegistryUrl()));
        return args;
    }

    /**
     * The demo's tokens: those set by the options and environment, plus generated ones where none is set.
     *
     * @param apiTokens every token the processor accepts
     * @param generatedAdminToken the admin token the demo generated, or null when one was set
     * @param generatedUserToken the token of {@value #DEMO_USER} the demo generated, or null when user tokens
     *     were set
     */
    record DemoTokens(ApiTokens apiTokens, String generatedAdminToken, String generatedUserToken) {

        static DemoTokens create(TokenOptions options, Map<String, String> environment) {
            Map<String, String> effective = new HashMap<>(environment);
            String adminToken = null;
            boolean adminSet = isSet(options.adminToken) || isSet(environment.get(ApiTokens.ADMIN_TOKEN_ENV))
                || options.tokensFile != null;
            if (!adminSet) {
                adminToken = ApiTokens.generate();
                effective.put(ApiTokens.ADMIN_TOKEN_ENV, adminToken);
            }
            String userToken = null;
            if (options.tokensFile == null && !isSet(environment.get(ApiTokens.USER_TOKENS_ENV))) {
                userToken = ApiTokens.generate();
                effective.put(ApiTokens.USER_TOKENS_ENV, DEMO_USER + "=" + userToken);
            }
            return new DemoTokens(options.load(effective), adminToken, userToken);
        }

        private static boolean isSet(String value) {
            return value != null && !value.isBlank();
        }

        @Override
        public String toString() {
            return "DemoTokens[" + apiTokens + "]";
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
