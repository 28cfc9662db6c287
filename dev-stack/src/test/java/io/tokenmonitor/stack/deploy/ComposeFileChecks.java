package io.tokenmonitor.stack.deploy;

import io.tokenmonitor.stack.deploy.ComposeFile.PortMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Consistency checks of docker-compose.yml. Each check returns its problems as sentences that name the
 * service and the setting, and an empty list when the file passes.
 *
 * <p>Service names are those of the file: the broker {@value #BROKER}, the registry {@value #REGISTRY}, the
 * one-shot {@value #TOPICS} service, and every product service whose command is {@code processor}.
 */
final class ComposeFileChecks {

    static final String BROKER = "kafka";
    static final String REGISTRY = "schema-registry";
    static final String TOPICS = "topics";

    private static final String BOOTSTRAP_SERVERS = "TOKEN_MONITOR_BOOTSTRAP_SERVERS";
    private static final String REGISTRY_URL = "TOKEN_MONITOR_SCHEMA_REGISTRY_URL";

    private final ComposeFile compose;

    ComposeFileChecks(ComposeFile compose) {
        this.compose = compose;
    }

    /** Checks that the application reads every variable a product service sets, for that service's command. */
    List<String> environmentNamesAreRead() {
        List<String> problems = new ArrayList<>();
        for (String service : productServices()) {
            List<String> command = compose.command(service);
            Optional<Set<String>> variables = ProductSettings.environmentVariables(command);
            if (variables.isEmpty()) {
                problems.add(service + ": command " + command + " names no subcommand of token-monitor");
                continue;
            }
            for (String name : compose.environment(service).keySet()) {
                if (!ProductSettings.isRead(name, variables.get())) {
                    problems.add(service + ": environment variable " + name + " is not read by 'token-monitor "
                        + String.join(" ", command) + "'");
                }
            }
        }
        return problems;
    }

    /** Checks that token variables come from the caller's environment, so no secret is committed. */
    List<String> tokensComeFromTheEnvironment() {
        List<String> problems = new ArrayList<>();
        for (String service : productServices()) {
            compose.environment(service).forEach((name, value) -> {
                if (name.endsWith("_TOKEN") || name.endsWith("_TOKENS")) {
                    if (!value.equals("${" + name + "}") && !value.startsWith("${" + name + ":?")) {
                        problems.add(service + ": " + name + " must be ${" + name + ":?message}, taken from the "
                            + "caller's environment, but is '" + value + "'");
                    }
                }
            });
        }
        return problems;
    }

    /**
     * Checks that the broker advertises only listeners it declares. The listener for the other containers
     * has the service name as its host, and the one for the host has 127.0.0.1 and a published port.
     */
    List<String> advertisedListenersAreDeclared() {
        List<String> problems = new ArrayList<>();
        Map<String, String> environment = compose.environment(BROKER);
        Map<String, Endpoint> declared = endpoints(environment.getOrDefault("KAFKA_LISTENERS", ""));
        Map<String, Endpoint> advertised = endpoints(environment.getOrDefault("KAFKA_ADVERTISED_LISTENERS", ""));
        if (advertised.isEmpty()) {
            problems.add(BROKER + ": KAFKA_ADVERTISED_LISTENERS is missing or empty");
        }
        Map<Integer, Integer> published = new HashMap<>();
        for (PortMapping port : compose.ports(BROKER)) {
            published.put(port.hostPort(), port.containerPort());
        }

        advertised.forEach((listener, endpoint) -> {
            Endpoint bound = declared.get(listener);
            if (bound == null) {
                problems.add(BROKER + ": advertised listener " + listener + " is not in KAFKA_LISTENERS");
                return;
            }
            if (endpoint.host().equals(BROKER)) {
                if (endpoint.port() != bound.port()) {
                    problems.add(BROKER + ": listener " + listener + " is advertised on port " + endpoint.port()
                        + " but listens on " + bound.port());
                }
            } else if (endpoint.host().equals("127.0.0.1") || endpoint.host().equals("localhost")) {
                Integer containerPort = published.get(endpoint.port());
                if (containerPort == null || containerPort != bound.port()) {
                    problems.add(BROKER + ": listener " + listener + " is advertised as " + endpoint
                        + " but host port " + endpoint.port() + " is not published to its port " + bound.port());
                }
            } else {
                problems.add(BROKER + ": listener " + listener + " advertises host " + endpoint.host()
                    + ", which is neither the service name " + BROKER + " nor 127.0.0.1");
            }
        });
        if (advertised.values().stream().noneMatch(endpoint -> endpoint.host().equals(BROKER))) {
            problems.add(BROKER + ": no advertised listener has the host " + BROKER + ", so other containers "
                + "cannot reach the broker");
        }
        return problems;
    }

    /** Checks that every service connecting to Kafka uses a listener the broker advertises to containers. */
    List<String> bootstrapServersReachBroker() {
        List<String> problems = new ArrayList<>();
        Map<String, Endpoint> advertised =
            endpoints(compose.environment(BROKER).getOrDefault("KAFKA_ADVERTISED_LISTENERS", ""));
        List<String> internal = advertised.values().stream()
            .filter(endpoint -> endpoint.host().equals(BROKER))
            .map(Endpoint::toString)
            .toList();

        for (String service : compose.serviceNames()) {
            List<String> settings = bootstrapSettings(service);
            if (compose.runsProduct(service) && settings.isEmpty()) {
                problems.add(service + ": " + BOOTSTRAP_SERVERS + " is missing, so the service would connect to "
                    + "127.0.0.1:9092 inside its own container");
            }
            for (String bootstrap : settings) {
                for (String server : bootstrap.split(",")) {
                    String hostPort = server.trim().replaceFirst("^[A-Za-z_]+://", "");
                    if (!internal.contains(hostPort)) {
                        problems.add(service + ": bootstrap server " + server.trim() + " is not an advertised "
                            + "listener reachable from containers " + internal);
                    }
                }
            }
        }
        return problems;
    }

    /** Checks that processors and agents use the registry's service name and container port. */
    List<String> registryUrlMatchesRegistry() {
        List<String> problems = new ArrayList<>();
        Map<String, String> registryEnvironment = compose.environment(REGISTRY);
        String listeners = registryEnvironment.getOrDefault("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081");
        int registryPort = Integer.parseInt(listeners.replaceFirst("^.*:(\\d+)/?$", "$1"));
        String expected = "http://" + REGISTRY + ":" + registryPort;

        for (String service : productServices()) {
            if (compose.command(service).equals(List.of(TOPICS))) {
                continue;
            }
            String url = compose.environment(service).get(REGISTRY_URL);
            if (url == null) {
                problems.add(service + ": " + REGISTRY_URL + " is missing; expected " + expected);
            } else if (!url.replaceFirst("/$", "").equals(expected)) {
                problems.add(service + ": " + REGISTRY_URL + " is " + url + "; expected " + expected);
            }
        }
        if (!compose.ports(REGISTRY).stream().anyMatch(port -> port.containerPort() == registryPort)) {
            problems.add(REGISTRY + ": its port " + registryPort + " is not published");
        }
        return problems;
    }

    /**
     * Checks that each processor advertises its own service name, and that its HTTP port is the container
     * port it publishes and the port its healthcheck calls.
     */
    List<String> processorsAdvertiseThemselves() {
        List<String> problems = new ArrayList<>();
        List<String> processors = processors();
        if (processors.size() < 2) {
            problems.add("only " + processors.size() + " processor service(s); two are needed to show routing");
        }
        for (String service : processors) {
            Map<String, String> environment = compose.environment(service);
            String advertisedHost = environment.get("TOKEN_MONITOR_ADVERTISED_HOST");
            if (!service.equals(advertisedHost)) {
                problems.add(service + ": TOKEN_MONITOR_ADVERTISED_HOST is " + advertisedHost + "; expected "
                    + service);
            }
            if (!"0.0.0.0".equals(environment.get("TOKEN_MONITOR_HTTP_HOST"))) {
                problems.add(service + ": TOKEN_MONITOR_HTTP_HOST is " + environment.get("TOKEN_MONITOR_HTTP_HOST")
                    + "; expected 0.0.0.0, so the published port reaches the API");
            }
            int httpPort = Integer.parseInt(environment.getOrDefault("TOKEN_MONITOR_HTTP_PORT", "8080"));
            if (compose.ports(service).stream().noneMatch(port -> port.containerPort() == httpPort)) {
                problems.add(service + ": HTTP port " + httpPort + " is not a published container port");
            }
            String healthcheck = compose.healthcheck(service);
            if (!healthcheck.contains(":" + httpPort + "/health")) {
                problems.add(service + ": the healthcheck '" + healthcheck + "' does not call /health on port "
                    + httpPort);
            }
        }
        return problems;
    }

    /** Checks that every published port is bound to 127.0.0.1 and that no host port is published twice. */
    List<String> publishedPortsAreLocalAndUnique() {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> owners = new LinkedHashMap<>();
        for (String service : compose.serviceNames()) {
            for (PortMapping port : compose.ports(service)) {
                if (!"127.0.0.1".equals(port.hostIp())) {
                    problems.add(service + ": port " + port.hostPort() + " is published on "
                        + (port.hostIp() == null ? "every interface" : port.hostIp()) + "; expected 127.0.0.1");
                }
                String previous = owners.putIfAbsent(port.hostPort(), service);
                if (previous != null) {
                    problems.add(service + ": host port " + port.hostPort() + " is already published by "
                        + previous);
                }
            }
        }
        return problems;
    }

    /** Checks that the topics service waits for a healthy broker and completes before any processor starts. */
    List<String> topicsRunBeforeProcessors() {
        List<String> problems = new ArrayList<>();
        if (!compose.serviceNames().contains(TOPICS)) {
            problems.add("no " + TOPICS + " service");
            return problems;
        }
        if (!"service_healthy".equals(compose.dependsOn(TOPICS).get(BROKER))) {
            problems.add(TOPICS + ": does not wait for " + BROKER + " to be healthy");
        }
        for (String service : processors()) {
            String condition = compose.dependsOn(service).get(TOPICS);
            if (!"service_completed_successfully".equals(condition)) {
                problems.add(service + ": depends on " + TOPICS + " with condition " + condition
                    + "; expected service_completed_successfully");
            }
        }
        return problems;
    }

    private List<String> productServices() {
        return compose.serviceNames().stream().filter(compose::runsProduct).toList();
    }

    private List<String> processors() {
        return productServices().stream()
            .filter(service -> compose.command(service).equals(List.of("processor")))
            .toList();
    }

    /** Returns the bootstrap server lists a service sets, for the product and for the registry. */
    private List<String> bootstrapSettings(String service) {
        Map<String, String> environment = compose.environment(service);
        List<String> settings = new ArrayList<>();
        for (String name : List.of(BOOTSTRAP_SERVERS, "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")) {
            if (environment.containsKey(name)) {
                settings.add(environment.get(name));
            }
        }
        return settings;
    }

    /** A listener's host and port, as in {@code INTERNAL://kafka:29092}. */
    private record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Parses {@code NAME://host:port,...} into listener name and endpoint; an empty host becomes "". */
    private static Map<String, Endpoint> endpoints(String listeners) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (String listener : listeners.split(",")) {
            String trimmed = listener.trim();
            int separator = trimmed.indexOf("://");
            int colon = trimmed.lastIndexOf(':');
            if (separator < 0 || colon <= separator) {
                continue;
            }
            String host = trimmed.substring(separator + 3, colon);
            int port = Integer.parseInt(trimmed.substring(colon + 1));
            endpoints.put(trimmed.substring(0, separator), new Endpoint(host, port));
        }
        return endpoints;
    }
}
