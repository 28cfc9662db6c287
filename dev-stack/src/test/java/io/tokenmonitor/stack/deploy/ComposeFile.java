package io.tokenmonitor.stack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A parsed Docker Compose file, as a Jackson tree with the YAML anchors, aliases and merge keys ({@code <<})
 * already resolved, so each service shows the settings Compose gives it. Variables such as
 * {@code ${TOKEN_MONITOR_ADMIN_TOKEN:?...}} are kept as written.
 */
final class ComposeFile {

    /** A published port: {@code HOST_IP:HOST_PORT:CONTAINER_PORT}, with a null host IP when none is given. */
    record PortMapping(String hostIp, int hostPort, int containerPort) {
    }

    private final ObjectNode root;

    private ComposeFile(ObjectNode root) {
        this.root = root;
    }

    /**
     * Reads a Compose file. SnakeYAML resolves the merge keys, which Jackson's YAML parser does not, and
     * Jackson then stores the result as a tree.
     */
    static ComposeFile read(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object document = yaml.load(Files.readString(file));
        JsonNode tree = new ObjectMapper().valueToTree(document);
        if (!(tree instanceof ObjectNode objectNode)) {
            throw new IOException(file + " is not a YAML mapping");
        }
        return new ComposeFile(objectNode);
    }

    /** Writes the resolved tree as YAML, without anchors; Docker Compose reads the result like the original. */
    void write(Path file) throws IOException {
        Files.writeString(file, new YAMLMapper().writeValueAsString(root));
    }

    /** Returns a deep copy, for tests that break one setting. */
    ComposeFile copy() {
        return new ComposeFile(root.deepCopy());
    }

    /** Returns the service's node, to edit a copy; throws if the service does not exist. */
    ObjectNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (!(service instanceof ObjectNode objectNode)) {
            throw new IllegalArgumentException("No service " + name + " in the Compose file");
        }
        return objectNode;
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Returns whether the service runs this product: it is built from the repository's Dockerfile or uses
     * the image that build is tagged with.
     */
    boolean runsProduct(String name) {
        JsonNode service = service(name);
        return service.has("build") || service.path("image").asText().startsWith("token-monitor:");
    }

    /** Returns the service's environment, from either the mapping form or the list form of Compose. */
    Map<String, String> environment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service(name).path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String text = item.asText();
                int equals = text.indexOf('=');
                if (equals < 0) {
                    environment.put(text, "");
                } else {
                    environment.put(text.substring(0, equals), text.substring(equals + 1));
                }
            }
        }
        return environment;
    }

    /** Returns the service's command as a list, splitting the string form on spaces. */
    List<String> command(String name) {
        JsonNode node = service(name).path("command");
        List<String> command = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> command.add(item.asText()));
        } else if (node.isTextual()) {
            command.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return command;
    }

    /**
     * Returns the service's published ports from the short syntax ({@code "127.0.0.1:8080:8080"}).
     *
     * @throws IllegalArgumentException for a port range or the long syntax, which this file does not use
     */
    List<PortMapping> ports(String name) {
        List<PortMapping> ports = new ArrayList<>();
        for (JsonNode item : service(name).path("ports")) {
            if (!item.isValueNode()) {
                throw new IllegalArgumentException("Service " + name + " uses the long port syntax, which "
                    + "ComposeFile does not read: " + item);
            }
            String[] parts = item.asText().replace("/tcp", "").split(":");
            switch (parts.length) {
                case 1 -> ports.add(new PortMapping(null, Integer.parseInt(parts[0]), Integer.parseInt(parts[0])));
                case 2 -> ports.add(new PortMapping(null, Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
                case 3 -> ports.add(new PortMapping(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                default -> throw new IllegalArgumentException("Invalid port " + item.asText() + " in " + name);
            }
        }
        return ports;
    }

    /** Returns the services this one depends on, each with its condition ({@code service_started} by default). */
    Map<String, String> dependsOn(String name) {
        Map<String, String> dependencies = new LinkedHashMap<>();
        JsonNode node = service(name).path("depends_on");
        if (node.isArray()) {
            node.forEach(item -> dependencies.put(item.asText(), "service_started"));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(entry -> dependencies.put(entry.getKey(),
                entry.getValue().path("condition").asText("service_started")));
        }
        return dependencies;
    }

    /** Returns the words of the service's healthcheck test joined by spaces, or "" without a healthcheck. */
    String healthcheck(String name) {
        JsonNode test = service(name).path("healthcheck").path("test");
        if (test.isArray()) {
            List<String> words = new ArrayList<>();
            test.forEach(item -> words.add(item.asText()));
            return String.join(" ", words);
        }
        return test.asText("");
    }
}
