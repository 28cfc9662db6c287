package io.tokenmonitor.agent.send;

import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends requests to the token-requests topic, keyed by user id, and counts the outcome of every send.
 *
 * <p>Each record is either acknowledged or failed once the producer has been flushed, so
 * {@code acknowledged() + failed() == attempted()} after {@link #flush()}. The first
 * {@value #MAX_PRINTED_FAILURES} failures are printed with their request ids; later ones are only
 * counted. A failure that later records would repeat (a timeout, or an exception thrown by
 * {@code send} itself) is stored as {@link #fatalFailure()}, so the caller can stop.
 */
public final class RequestSender implements AutoCloseable {

    public static final int MAX_PRINTED_FAILURES = 10;

    /** How long {@link #close()} waits for records still in flight. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, TokenRequest> producer;
    private final String topic;
    private final PrintWriter err;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> fatalFailure = new AtomicReference<>();
    private long attempted;

    /**
     * Creates a sender that owns the producer and closes it in {@link #close()}.
     *
     * @param producer a producer whose serializers match {@link Topics#TOKEN_REQUESTS}
     * @param topic the topic to send to, normally {@code Topics.TOKEN_REQUESTS.name()}
     * @param err where failures are printed
     */
    public RequestSender(Producer<String, TokenRequest> producer, String topic, PrintWriter err) {
        this.producer = producer;
        this.topic = topic;
        this.err = err;
    }

    /** Creates a sender to {@link Topics#TOKEN_REQUESTS}. */
    public RequestSender(Producer<String, TokenRequest> producer, PrintWriter err) {
        this(producer, Topics.TOKEN_REQUESTS.name(), err);
    }

    /**
     * Returns the producer settings of the agent: idempotent with acks from all in-sync replicas, so a
     * retried send is written once, and batched with compression for throughput when sending
     * unpaced.
     */
    public static Properties producerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "token-monitor-agent");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // Prompt and completion texts make records of a few kB; 20 ms of linger fills 128 KiB batches
        // when sending unpaced and adds at most 20 ms of latency when paced.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return properties;
    }

    /**
     * Hands a request to the producer, keyed by its user id. The outcome is counted when the broker
     * acknowledges or the send fails.
     *
     * @throws SendFailedException if the producer rejects the record at once, for example because the
     *     schema registry is unreachable; the record is counted as failed
     */
    public void send(TokenRequest request) {
        ProducerRecord<String, TokenRequest> record = new ProducerRecord<>(topic, request.getUserId(), request);
        attempted++;
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception == null) {
                    acknowledged.incrementAndGet();
                } else {
                    recordFailure(request, exception, exception instanceof TimeoutException);
                }
            });
        } catch (RuntimeException e) {
            // Serializers may throw any runtime exception, such as a registry error, and KafkaProducer
            // rethrows it without calling the callback.
            recordFailure(request, e, true);
            throw new SendFailedException("Failed to send request " + request.getRequestId() + ": " + e.getMessage(), e);
        }
    }

    /** Blocks until every record handed to the producer is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    public long attempted() {
        return attempted;
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Returns the first failure that later sends would repeat, or null if there was none. */
    public Exception fatalFailure() {
        return fatalFailure.get();
    }

    /** Flushes and closes the producer, waiting at most {@link #CLOSE_TIMEOUT} for records in flight. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }

    private void recordFailure(TokenRequest request, Exception exception, boolean repeatsForLaterRecords) {
        long count = failed.incrementAndGet();
        if (repeatsForLaterRecords) {
            fatalFailure.compareAndSet(null, exception);
        }
        if (count <= MAX_PRINTED_FAILURES) {
            err.println("Failed to send request " + request.getRequestId() + " of user '" + request.getUserId()
                + "': " + exception);
        }
        if (count == MAX_PRINTED_FAILURES) {
            err.println("Further send failures are counted but not printed.");
        }
        err.flush();
    }
}
