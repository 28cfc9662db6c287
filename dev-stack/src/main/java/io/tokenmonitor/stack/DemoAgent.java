package io.tokenmonitor.stack;

import io.tokenmonitor.agent.AgentClients;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.ShutdownSignal;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's producer agent, run on its own thread with a stop signal that the demo raises itself. Closing it
 * stops the agent, which flushes its producer, while the broker is still up.
 */
final class DemoAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoAgent.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> arguments;
    private final ShutdownSignal stopSignal = ShutdownSignal.manual(null);
    private Thread thread;

    /** @param arguments the {@code agent} command line, such as {@code simulate --users 20} */
    DemoAgent(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    /** Starts the agent; when it ends by itself the demo keeps serving until {@code shutdown} is raised. */
    synchronized void start(ShutdownLatch shutdown) {
        AgentClients clients = new EmbeddedClients(AgentClients.kafka(), stopSignal);
        thread = new Thread(() -> {
            int exitCode = AgentCommand.commandLine(clients).execute(arguments.toArray(String[]::new));
            if (shutdown.isStopping()) {
                return;
            }
            if (exitCode == AgentCommand.EXIT_OK) {
                LOG.info("Agent finished; the demo keeps serving until Ctrl-C");
            } else {
                LOG.warn("Agent exited with code {}; the demo keeps serving until Ctrl-C", exitCode);
            }
        }, "demo-agent");
        thread.setDaemon(true);
        thread.start();
    }

    /** Raises the agent's stop signal and waits up to 10 seconds for it to flush and end. */
    @Override
    public synchronized void close() throws InterruptedException {
        stopSignal.requestStop();
        if (thread == null) {
            return;
        }
        thread.join(STOP_TIMEOUT.toMillis());
        if (thread.isAlive()) {
            LOG.warn("Agent did not stop within {}", STOP_TIMEOUT);
        } else {
            LOG.info("Agent stopped");
        }
    }

    /** The real clients, with the demo's stop signal in place of Ctrl-C. */
    private record EmbeddedClients(AgentClients delegate, ShutdownSignal stopSignal) implements AgentClients {

        @Override
        public SchemaRegistryClient registry(String url) {
            return delegate.registry(url);
        }

        @Override
        public Producer<String, TokenRequest> producer(Properties properties, SchemaRegistryClient registry) {
            return delegate.producer(properties, registry);
        }

        @Override
        public <V> Producer<String, V> producer(Topic<V> topic, Properties properties,
                                                SchemaRegistryClient registry) {
            return delegate.producer(topic, properties, registry);
        }

        @Override
        public Consumer<String, UsageAlert> consumer(Properties properties, SchemaRegistryClient registry) {
            return delegate.consumer(properties, registry);
        }

        @Override
        public ShutdownSignal sendStopSignal() {
            return stopSignal;
        }
    }
}
