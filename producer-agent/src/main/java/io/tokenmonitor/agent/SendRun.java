package io.tokenmonitor.agent;

import io.tokenmonitor.agent.send.ProgressReporter;
import io.tokenmonitor.agent.send.RatePacer;
import io.tokenmonitor.agent.send.RequestSender;
import io.tokenmonitor.agent.send.RequestSource;
import io.tokenmonitor.agent.send.SendLoop;
import io.tokenmonitor.agent.send.SendSummary;
import io.tokenmonitor.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * Runs one send command from the command line: creates the producer, sends the source's requests at a
 * rate until done or Ctrl-C, and prints the summary line on stdout and any error on stderr.
 */
public final class SendRun {

    private SendRun() {
    }

    /**
     * Sends every request of the source and closes it.
     *
     * @param ratePerSecond sends per second, 0 for unpaced
     * @return {@link AgentCommand#EXIT_OK} if every record was sent, else {@link AgentCommand#EXIT_FAILURE}
     */
    public static int execute(AgentClients clients, ConnectionOptions connection, RequestSource source,
                              double ratePerSecond, PrintWriter out, PrintWriter err) throws Exception {
        // The signal is closed last, so after Ctrl-C the JVM waits until the summary is printed.
        try (ShutdownSignal signal = clients.sendStopSignal(); source) {
            SchemaRegistryClient registry = clients.registry(connection.schemaRegistryUrl());
            Properties properties = connection.producerProperties(
                RequestSender.producerProperties(connection.bootstrapServers()));
            SendSummary summary;
            try (RequestSender sender = new RequestSender(clients.producer(properties, registry), err)) {
                RatePacer pacer = new RatePacer(ratePerSecond, System::nanoTime, signal::sleepNanos);
                SendLoop loop = new SendLoop(sender, pacer, ProgressReporter.system(err), signal::isStopRequested);
                summary = loop.run(source);
            }
            printSummary(summary, out, err);
            return summary.isSuccess() ? AgentCommand.EXIT_OK : AgentCommand.EXIT_FAILURE;
        }
    }

    private static void printSummary(SendSummary summary, PrintWriter out, PrintWriter err) {
        switch (summary.outcome()) {
            case STOPPED -> err.println("Stopped on request.");
            case SEND_FAILED -> err.println("Stopped because a send failed: " + summary.error());
            case INPUT_FAILED -> err.println("Stopped because the input could not be read: " + summary.error());
            case COMPLETED -> { }
        }
        err.flush();
        out.println(summary.toLine());
        out.flush();
    }
}
