package io.tokenmonitor.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The outcome of one {@code agent} command line run in a test: its exit code and what it printed.
 *
 * @param exitCode the code picocli returned
 * @param out everything printed on stdout
 * @param err everything printed on stderr
 */
public record AgentRun(int exitCode, String out, String err) {

    /** Runs the agent command line with the given clients, capturing stdout and stderr. */
    public static AgentRun execute(AgentClients clients, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentCommand.commandLine(clients);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new AgentRun(exitCode, out.toString(), err.toString());
    }
}
