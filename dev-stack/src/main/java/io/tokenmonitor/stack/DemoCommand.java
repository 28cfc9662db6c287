package io.tokenmonitor.stack;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs broker, Schema Registry, processor and agent in one process until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Option(names = "--http-port", defaultValue = "8080",
        description = "Port of the HTTP API (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    StackOptions stackOptions;

    @Mixin
    PlanOptions planOptions;

    @Mixin
    EstimationOptions estimationOptions;

    @Option(names = "--replay", paramLabel = "FILE",
        description = "Replays this file (a JSON array of instruction/output/generator records, or JSON Lines "
            + "of requests) instead of simulating traffic.")
    Path replayFile;

    @Option(names = "--users", defaultValue = "20",
        description = "Number of users, user-1 to user-N, that requests are spread over (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--rate", defaultValue = "10",
        description = "Requests per second, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() throws Exception {
        if (replayFile != null && !Files.isReadable(replayFile)) {
            System.err.println("Replay file not found or not readable: " + replayFile.toAbsolutePath());
            return 2;
        }
        // Invalid options fail here, before the broker starts.
        ProcessorConfig options = estimationOptions.applyTo(
            planOptions.applyTo(ProcessorConfig.defaults().withHttpPort(httpPort)));

        ShutdownLatch shutdown = new ShutdownLatch();
        Path stateDir = Files.createTempDirectory("token-monitor-demo-state");
        shutdown.register(() -> deleteRecursively(stateDir));

        StackCommand.DevStack stack = shutdown.register(
            StackCommand.DevStack.start(stackOptions, null));
        ProcessorConfig config = options
            .withBootstrapServers(stack.bootstrapServers())
            .withSchemaRegistryUrl(stack.schemaRegistryUrl())
            .withStateDir(stateDir);
        TokenMonitorProcessor processor = shutdown.register(
            TokenMonitorProcessor.start(config, new RestSchemaRegistryClient(stack.schemaRegistryUrl())));
        processor.awaitRunning(START_TIMEOUT);

        printWelcome(stack, processor.httpPort());
        startAgent(stack, shutdown);
        shutdown.await();
        return 0;
    }

    private void printWelcome(StackCommand.DevStack stack, int boundHttpPort) {
        String api = "http://127.0.0.1:" + boundHttpPort;
        String connection = "--bootstrap-servers " + stack.bootstrapServers()
            + " --schema-registry-url " + stack.schemaRegistryUrl();
        System.out.println();
        System.out.println("Token Usage Monitor demo is running.");
        System.out.println("  Kafka broker     " + stack.bootstrapServers());
        System.out.println("  Schema Registry  " + stack.schemaRegistryUrl());
        System.out.println("  HTTP API         " + api + "/");
        System.out.println("Open or curl:");
        System.out.println("  " + api + "/api/v1/users/user-1/usage");
        System.out.println("  " + api + "/api/v1/users/user-1/requests?limit=5");
        System.out.println("  " + api + "/api/v1/stats");
        System.out.println("Watch alerts in another terminal:");
        System.out.println("  ./token-monitor agent alerts --from-beginning " + connection);
        System.out.println("Press Ctrl-C to stop; all demo data is deleted on exit.");
        System.out.println();
    }

    private void startAgent(StackCommand.DevStack stack, ShutdownLatch shutdown) {
        List<String> args = new ArrayList<>();
        if (replayFile != null) {
            args.addAll(List.of("replay", replayFile.toString()));
        } else {
            args.add("simulate");
        }
        args.addAll(List.of("--users", Integer.toString(users), "--rate", Double.toString(rate),
            "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry-url", stack.schemaRegistryUrl()));

        Thread agent = new Thread(() -> {
            int exitCode = AgentCommand.run(args.toArray(String[]::new));
            if (shutdown.isStopping()) {
                return;
            }
            if (exitCode == 0) {
                LOG.info("Agent finished; the demo keeps serving until Ctrl-C");
            } else {
                LOG.warn("Agent exited with code {}; the demo keeps serving until Ctrl-C", exitCode);
            }
        }, "demo-agent");
        agent.setDaemon(true);
        agent.start();
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
