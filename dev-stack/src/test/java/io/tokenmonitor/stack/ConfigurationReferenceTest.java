package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.AgentCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks that the README's configuration reference lists every option that reads an environment variable, with
 * that variable, so the table cannot fall behind the code.
 */
class ConfigurationReferenceTest {

    /** README of the repository, relative to the dev-stack module directory that Maven runs tests in. */
    private static final Path README = Path.of("../README.md");

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

    @Test
    void everyEnvironmentOptionInReadmeTable() throws IOException {
        List<String> tableRows = configurationTableRows();
        Map<String, String> options = environmentOptions();

        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String flag = option.getKey().substring(option.getKey().lastIndexOf(' ') + 1);
            String variable = option.getValue();
            boolean listed = tableRows.stream()
                .anyMatch(row -> containsFlag(row, flag) && row.contains("`" + variable));
            if (!listed) {
                missing.add(option.getKey() + " (" + variable + ")");
            }
        }

        assertTrue(missing.isEmpty(), "Options missing from the README's configuration reference table, "
            + "or listed without their environment variable: " + missing);
    }

    @Test
    void environmentNamesFollowFlagNames() {
        for (Map.Entry<String, String> option : environmentOptions().entrySet()) {
            String flag = option.getKey().substring(option.getKey().lastIndexOf(' ') + 1);
            String expected = "TOKEN_MONITOR_" + flag.substring(2).toUpperCase().replace('-', '_');

            assertEquals(expected, option.getValue(), option.getKey());
        }
    }

    @Test
    void modelContainsKnownOptions() {
        Map<String, String> options = environmentOptions();

        assertEquals("TOKEN_MONITOR_PARTITIONS", options.get("topics --partitions"));
        assertEquals("TOKEN_MONITOR_KAFKA_CONFIG", options.get("agent alerts --kafka-config"));
        assertEquals("TOKEN_MONITOR_GRACE_PERIOD", options.get("processor --grace-period"));
        assertFalse(options.containsKey("agent replay --rate"), "replay options are per run, so flags only");
    }

    /**
     * Returns every option of the launcher and of the agent whose default reads an environment variable, keyed by
     * the command path and the option's longest name, for example {@code "agent alerts --group"}.
     */
    private static Map<String, String> environmentOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        CommandLine launcher = new CommandLine(new TokenMonitor());
        launcher.setInterpolateVariables(false);
        collect(launcher, "", options);
        CommandLine agent = new CommandLine(new AgentCommand());
        agent.setInterpolateVariables(false);
        collect(agent, "", options);
        return options;
    }

    private static void collect(CommandLine command, String parentPath, Map<String, String> options) {
        String path = parentPath.isEmpty() && command.getCommandName().equals("token-monitor")
            ? "" : (parentPath + " " + command.getCommandName()).strip();
        for (OptionSpec option : command.getCommandSpec().options()) {
            String defaultValue = option.defaultValue();
            if (defaultValue == null) {
                continue;
            }
            Matcher matcher = ENV_DEFAULT.matcher(defaultValue);
            if (matcher.find()) {
                options.put(path + " " + option.longestName(), matcher.group(1));
            }
        }
        for (CommandLine subcommand : command.getSubcommands().values()) {
            collect(subcommand, path, options);
        }
    }

    private static boolean containsFlag(String row, String flag) {
        return row.contains("`" + flag + "`") || row.contains("`" + flag + " ");
    }

    /** Returns the table rows of the README section "Configuration reference". */
    private static List<String> configurationTableRows() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf("### Configuration reference");
        assertTrue(start >= 0, "README.md has no '### Configuration reference' section");

        List<String> rows = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            if (lines.get(i).startsWith("|")) {
                rows.add(lines.get(i));
            }
        }
        assertFalse(rows.isEmpty(), "the configuration reference has no table");
        return rows;
    }
}
