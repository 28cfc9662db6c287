package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class SingleRecordSendTest {

    @Test
    void producerPropertiesBuildKafkaProducer() throws IOException {
        // A local socket of this test is the bootstrap address, so the producer contacts nothing else.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Properties properties = SingleRecordSend.producerProperties("127.0.0.1:" + socket.getLocalPort());

            // KafkaProducer rejects a delivery timeout shorter than linger plus request timeout.
            KafkaProducer<String, UserPlan> producer = new KafkaProducer<>(properties,
                Topics.USER_PLANS.keySerde().serializer(),
                Topics.USER_PLANS.valueSerde(new TestSchemaRegistry()).serializer());
            producer.close(Duration.ZERO);

            assertEquals("all", properties.get(ProducerConfig.ACKS_CONFIG));
            assertEquals("true", properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        }
    }
}
