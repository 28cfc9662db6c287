package io.tokenmonitor.bench.latency;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed consumer of one output topic on its own thread, starting at the topic's current end, that passes
 * each record value with the {@link System#nanoTime()} at which its poll returned.
 */
final class LatencyReader<V> implements AutoCloseable {

    /**
     * The reader's {@code fetch.max.wait.ms}: how long the broker may hold a fetch that finds fewer than
     * {@code fetch.min.bytes} of readable records. 5 ms instead of the consumer default of 500 ms keeps a held
     * fetch from adding to a measured latency.
     * NOTE: how much the default would add with read_committed was not measured.
     */
    static final int FETCH_MAX_WAIT_MS = 5;

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** Receives each record value and the time its poll returned. */
    interface Handler<V> {
        void accept(V value, long seenNanos);
    }

    private final KafkaConsumer<String, V> consumer;
    private final Handler<V> handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    private LatencyReader(KafkaConsumer<String, V> consumer, Handler<V> handler, String topic) {
        this.consumer = consumer;
        this.handler = handler;
        this.thread = new Thread(this::pollUntilClosed, "latency-reader-" + topic);
    }

    /** Starts a reader of {@code topic} and returns once its position is at the end of every partition. */
    static <V> LatencyReader<V> start(BenchStack stack, Topic<V> topic, Handler<V> handler) {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties(stack.bootstrapServers()),
            new StringDeserializer(), topic.valueSerde(registry).deserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(topic.name(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // position() resolves the lazy seek now, so records written after start() returns are all read.
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        LatencyReader<V> reader = new LatencyReader<>(consumer, handler, topic.name());
        reader.thread.start();
        return reader;
    }

    private static Properties properties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(FETCH_MAX_WAIT_MS));
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        return properties;
    }

    private void pollUntilClosed() {
        try {
            while (running.get()) {
                ConsumerRecords<String, V> records = consumer.poll(POLL_TIMEOUT);
                long seenNanos = System.nanoTime();
                for (ConsumerRecord<String, V> record : records) {
                    handler.accept(record.value(), seenNanos);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    /** Throws the exception that stopped the reader's thread, if one did. */
    void throwIfFailed() {
        Exception exception = failure.get();
        if (exception != null) {
            throw new IllegalStateException("Reader " + thread.getName() + " failed", exception);
        }
    }

    /** Stops polling, waits for the thread to close the consumer, so the handler is no longer called. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(JOIN_TIMEOUT.toMillis());
    }
}
