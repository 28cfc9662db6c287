package io.tokenmonitor.stack;

import io.tokenmonitor.agent.send.RequestSender;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the fault test's requests to {@code token-requests} like the agent does: keyed by user id, with the
 * agent's idempotent producer settings and the product's Avro serde. A send that fails, for example while the
 * broker is down, is sent again by {@link #flushAndResend()}; the processor drops any copy that arrives twice.
 */
final class FaultSender implements AutoCloseable {

    private static final int MAX_RESEND_ROUNDS = 10;
    /** Long enough for records in flight to survive a broker restart without failing. */
    private static final int DELIVERY_TIMEOUT_MS = 180_000;

    private final KafkaProducer<String, TokenRequest> producer;
    private final Queue<TokenRequest> failed = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private long sent;

    FaultSender(String bootstrapServers, String registryUrl) {
        Properties properties = RequestSender.producerProperties(bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-test-sender");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        AvroSerde<TokenRequest> serde = new AvroSerde<>(new RestSchemaRegistryClient(registryUrl), TokenRequest.class);
        producer = new KafkaProducer<>(properties, new StringSerializer(), serde.serializer());
    }

    /** Hands the requests to the producer without waiting for acknowledgements. */
    void send(List<TokenRequest> requests) {
        for (TokenRequest request : requests) {
            sent++;
            producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), request.getUserId(), request),
                (metadata, exception) -> {
                    if (exception != null) {
                        failures.incrementAndGet();
                        failed.add(request);
                    }
                });
        }
    }

    /**
     * Waits until every request is acknowledged, sending failed ones again.
     *
     * @throws IllegalStateException if requests still fail after {@value #MAX_RESEND_ROUNDS} rounds
     */
    void flushAndResend() {
        for (int round = 0; round < MAX_RESEND_ROUNDS; round++) {
            producer.flush();
            if (failed.isEmpty()) {
                return;
            }
            List<TokenRequest> again = new ArrayList<>();
            for (TokenRequest request = failed.poll(); request != null; request = failed.poll()) {
                again.add(request);
            }
            send(again);
        }
        throw new IllegalStateException(failed.size() + " requests still failed after " + MAX_RESEND_ROUNDS
            + " rounds of sending");
    }

    /** Returns the number of sends, counting each resend. */
    long sent() {
        return sent;
    }

    /** Returns the number of sends that failed and were queued for sending again. */
    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
