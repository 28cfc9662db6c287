package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.lifecycle.StreamThreadFailureHandler;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's failure handling on a real broker. A processing step that throws once makes the processing
 * exception handler fail the task, and the uncaught exception handler replaces the stream thread. With the
 * processor's exactly-once settings every input record then reaches the output exactly once.
 */
@Timeout(180)
class StreamThreadReplacementTest {

    private static final String INPUT = "replacement-input";
    private static final String OUTPUT = "replacement-output";
    private static final int RECORDS = 50;
    private static final int FAILING_RECORD = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    @Test
    void shouldReplaceThreadAndProcessEveryRecordOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(1).build().start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(OUTPUT, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            }
            Properties properties = ProcessorConfig.defaults()
                .withApplicationId("replacement-test")
                .withBootstrapServers(broker.bootstrapServers())
                .withStateDir(stateDir)
                .streamsProperties();
            properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
            AtomicInteger failures = new AtomicInteger();
            StreamThreadFailureHandler handler = new StreamThreadFailureHandler();

            try (KafkaStreams streams = new KafkaStreams(topology(failures), properties)) {
                streams.setUncaughtExceptionHandler(handler);
                streams.start();
                produce(broker.bootstrapServers());

                List<ConsumerRecord<String, String>> output;
                try (TopicReader<String> reader = new TopicReader<>(broker.bootstrapServers(), OUTPUT,
                    new StringDeserializer())) {
                    output = reader.readUntil(read -> read.size() >= RECORDS, WAIT);
                    awaitRunning(streams);
                    output = reader.readToEnd(WAIT);
                }

                assertEquals(1, failures.get(), "the step throws once");
                assertEquals(1, handler.replacements());
                List<String> values = new ArrayList<>();
                for (ConsumerRecord<String, String> record : output) {
                    values.add(record.value());
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    expected.add("value-" + i);
                }
                assertEquals(expected, values, "every record once, in order");
            }
        }
    }

    private static void produce(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Recent timestamps, because the broker deletes records older than the topic's retention time.
        Instant timestamp = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
            new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(INPUT, null, timestamp.plusSeconds(i).toEpochMilli(), "key",
                    "value-" + i));
            }
            producer.flush();
        }
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            assertTrue(Instant.now().isBefore(deadline), "Kafka Streams is " + streams.state());
            Thread.sleep(100);
        }
    }

    private static Topology topology(AtomicInteger failures) {
        Topology topology = new Topology();
        topology.addSource("replacement-source", Serdes.String().deserializer(), Serdes.String().deserializer(),
            INPUT);
        topology.addProcessor("fail-once", () -> new FailOnce(failures), "replacement-source");
        topology.addSink("replacement-sink", OUTPUT, Serdes.String().serializer(), Serdes.String().serializer(),
            "fail-once");
        return topology;
    }

    /** Forwards every record, but throws the first time it receives {@code value-20}. */
    private static final class FailOnce implements Processor<String, String, String, String> {

        private final AtomicInteger failures;
        private ProcessorContext<String, String> context;

        FailOnce(AtomicInteger failures) {
            this.failures = failures;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().equals("value-" + FAILING_RECORD) && failures.compareAndSet(0, 1)) {
                throw new IllegalStateException("transient failure on " + record.value());
            }
            context.forward(record);
        }
    }
}
