package io.tokenmonitor.agent.send;

import static io.tokenmonitor.agent.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.TestSchemaRegistry;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class SendLoopTest {

    private final FakeTime time = new FakeTime();
    private final StringWriter err = new StringWriter();
    private final MockProducer<String, TokenRequest> producer = new MockProducer<>(true, null,
        Topics.TOKEN_REQUESTS.keySerde().serializer(),
        new AvroSerde<>(new TestSchemaRegistry(), TokenRequest.class).serializer());

    @Test
    void shouldSendEverySourceRecord() throws InterruptedException {
        SendSummary summary = loop(RatePacer.system(0), () -> false).run(source(5, 3));

        assertEquals(5, producer.history().size());
        assertEquals(new SendSummary(5, 0, 3, SendSummary.Outcome.COMPLETED, null), summary);
        assertTrue(summary.isSuccess());
        assertEquals("sent=5 failed=0 skipped=3", summary.toLine());
    }

    @Test
    void shouldPaceAtConfiguredRate() throws InterruptedException {
        RatePacer pacer = new RatePacer(10, time::nanoTime, time::sleepNanos);

        loop(pacer, () -> false).run(source(5, 0));

        Duration slept = time.sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertEquals(Duration.ofMillis(400), slept);
    }

    @Test
    void shouldStopWhenRequested() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        ListSource source = new ListSource(10, 0);
        source.onTake = takenCount -> stop.set(takenCount == 2);

        SendSummary summary = loop(RatePacer.system(0), stop::get).run(source);

        assertEquals(SendSummary.Outcome.STOPPED, summary.outcome());
        assertEquals(2, summary.sent());
        assertTrue(summary.isSuccess());
    }

    @Test
    void shouldReportInputFailureAfterSendingEarlierRecords() throws InterruptedException {
        ListSource source = new ListSource(1, 0);
        source.failureAtEnd = new IOException("Invalid JSON at line 7");

        SendSummary summary = loop(RatePacer.system(0), () -> false).run(source);

        assertEquals(SendSummary.Outcome.INPUT_FAILED, summary.outcome());
        assertEquals("Invalid JSON at line 7", summary.error());
        assertEquals(1, summary.sent());
        assertFalse(summary.isSuccess());
    }

    @Test
    void shouldStopAfterFatalSendFailure() throws InterruptedException {
        MockProducer<String, TokenRequest> manual = new MockProducer<>(false, null,
            Topics.TOKEN_REQUESTS.keySerde().serializer(),
            new AvroSerde<>(new TestSchemaRegistry(), TokenRequest.class).serializer());
        RequestSender sender = new RequestSender(manual, new PrintWriter(err));
        ListSource source = new ListSource(100, 0);
        source.onTake = takenCount -> {
            if (takenCount == 2) {
                manual.errorNext(new TimeoutException("Topic token-requests not present in metadata"));
            }
        };
        ProgressReporter progress = new ProgressReporter(new PrintWriter(err), time::nanoTime, Duration.ofHours(1));

        SendSummary summary = new SendLoop(sender, RatePacer.system(0), progress, () -> false).run(source);

        assertEquals(SendSummary.Outcome.SEND_FAILED, summary.outcome());
        assertTrue(summary.error().contains("not present in metadata"), summary.error());
        assertEquals(2, manual.history().size(), "no record is sent after the timeout");
        assertEquals(1, summary.failed());
        assertFalse(summary.isSuccess());
    }

    @Test
    void shouldReturnNullErrorOnSuccess() throws InterruptedException {
        SendSummary summary = loop(RatePacer.system(0), () -> false).run(source(1, 0));

        assertNull(summary.error());
    }

    private SendLoop loop(RatePacer pacer, BooleanSupplier stop) {
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));
        ProgressReporter progress = new ProgressReporter(new PrintWriter(err), time::nanoTime, Duration.ofHours(1));
        return new SendLoop(sender, pacer, progress, stop);
    }

    private static RequestSource source(int count, long skipped) {
        return new ListSource(count, skipped);
    }

    /** A source of numbered requests that can fail at its end or run an action as each is taken. */
    private static final class ListSource implements RequestSource {
        private final Deque<TokenRequest> requests = new ArrayDeque<>();
        private final long skipped;
        private int takenCount;
        IOException failureAtEnd;
        IntConsumer onTake = count -> { };

        ListSource(int count, long skipped) {
            for (int i = 0; i < count; i++) {
                requests.add(request("r-" + i, "user-" + (i % 2 + 1)).build());
            }
            this.skipped = skipped;
        }

        @Override
        public boolean hasNext() throws IOException {
            if (requests.isEmpty() && failureAtEnd != null) {
                throw failureAtEnd;
            }
            return !requests.isEmpty();
        }

        @Override
        public TokenRequest next() {
            takenCount++;
            onTake.accept(takenCount);
            return requests.remove();
        }

        @Override
        public long skipped() {
            return skipped;
        }
    }
}
