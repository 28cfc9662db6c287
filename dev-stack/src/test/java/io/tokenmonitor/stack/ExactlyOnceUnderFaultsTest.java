package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.FaultWorkload.AlertKey;
import io.tokenmonitor.stack.FaultWorkload.Totals;
import io.tokenmonitor.stack.FaultWorkload.UserPeriod;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under real faults. The broker with its registry ({@code token-monitor stack --data-dir}) and the
 * processor run as child JVMs. While the requests arrive, the test kills the processor with SIGKILL at random
 * moments and restarts it on the same state directory, and kills the broker once and restarts it on its data
 * directory. Then it checks that every user's totals equal the sums of the reported counts, that every
 * (user, period, threshold) alert is in {@code usage-alerts} exactly once under read_committed, and that
 * sending the whole input a second time changes no total and raises no alert.
 *
 * <p>The short form (10,000 requests, 200 users, 4 processor kills) runs in {@code mvn verify}. The system
 * property {@code faults.full=true} selects the full form: 100,000 requests, 1,000 users, 10 processor kills.
 * {@code faults.requests}, {@code faults.users}, {@code faults.processorKills} and {@code faults.seed} override
 * single settings.
 *
 * <p>After each processor kill the test removes the dead member from the consumer group, as an orchestrator
 * that saw the process die would, so the restarted instance gets its partitions at once instead of after the
 * 45-second default session timeout of Kafka clients. Exactly-once does not depend on the removal. Kafka
 * Streams keeps its process id in the state directory and derives the exactly_once_v2 transactional id from
 * it, so the restarted instance fences the dead one's producer and aborts its open transactions.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ExactlyOnceUnderFaultsTest {

    private static final boolean FULL = Boolean.getBoolean("faults.full");
    private static final int REQUESTS = Integer.getInteger("faults.requests", FULL ? 100_000 : 10_000);
    private static final int USERS = Integer.getInteger("faults.users", FULL ? 1_000 : 200);
    private static final int PROCESSOR_KILLS = Integer.getInteger("faults.processorKills", FULL ? 10 : 4);
    private static final long SEED = Long.getLong("faults.seed", 20_261_204L);

    private static final int PARTITIONS = 3;
    private static final String APPLICATION_ID = "fault-test";
    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration PROCESSING_TIMEOUT = Duration.ofMinutes(FULL ? 30 : 5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private final Random random = new Random(SEED);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final List<Long> lagAtKills = new ArrayList<>();
    private int kafkaPort;
    private int registryPort;
    private int httpPort;
    private int brokerStarts;
    private int processorStarts;
    private ChildJvm broker;
    private ChildJvm processor;

    @Test
    void shouldCountOnceThroughKillsAndReplay() throws Exception {
        List<Integer> ports = freePorts(3);
        kafkaPort = ports.get(0);
        registryPort = ports.get(1);
        httpPort = ports.get(2);
        FaultWorkload workload = FaultWorkload.generate(SEED, REQUESTS, USERS, Instant.now().minusSeconds(1));
        Set<AlertKey> expectedAlerts = workload.expectedAlerts();
        for (int threshold : FaultWorkload.THRESHOLDS_PERCENT) {
            assertTrue(expectedAlerts.stream().anyMatch(alert -> alert.thresholdPercent() == threshold),
                "the workload reaches no " + threshold + " percent threshold; choose other sizes");
        }
        System.out.printf("Fault test: %,d requests of %,d users, limit %,d tokens, %,d alerts expected, "
                + "%d processor kills and 1 broker kill planned; output in %s%n",
            REQUESTS, USERS, workload.monthlyLimit(), expectedAlerts.size(), PROCESSOR_KILLS, workDir);

        long startNanos = System.nanoTime();
        try {
            startBroker();
            startProcessor(workload.monthlyLimit());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
                 FaultSender sender = new FaultSender(bootstrapServers(), registryUrl())) {
                sendWithFaults(workload, sender, admin);
                Duration faultPhase = elapsedSince(startNanos);

                awaitProcessed(admin);
                Map<UserPeriod, Totals> totals = readTotals(workload);
                assertTotals(workload.expected(), totals, "after the faults");
                assertPeriodTopic(workload.expected());
                List<UsageAlert> alerts = readAlerts();
                assertAlertsOnce(expectedAlerts, alerts, workload.monthlyLimit());
                assertNoDeadLetters();
                Duration firstPass = elapsedSince(startNanos);

                long replayStart = System.nanoTime();
                sender.send(workload.requests());
                sender.flushAndResend();
                awaitProcessed(admin);
                assertEquals(totals, readTotals(workload), "the second replay changed totals");
                List<UsageAlert> alertsAfterReplay = readAlerts();
                assertEquals(alerts.size(), alertsAfterReplay.size(), "the second replay raised alerts");
                assertAlertsOnce(expectedAlerts, alertsAfterReplay, workload.monthlyLimit());
                // The replay was dropped as duplicates, not dead-lettered.
                assertNoDeadLetters();
                long duplicates = duplicatesSinceStart();
                assertTrue(duplicates >= REQUESTS, "the last processor dropped only " + duplicates + " duplicates");
                Duration replay = elapsedSince(replayStart);

                long uncommittedAlerts = countAlertRecordsUncommitted();
                long killsWhileBehind = lagAtKills.stream().filter(lag -> lag > 0).count();
                System.out.printf("Fault test passed.%n");
                System.out.printf("  requests    %,d of %,d users; %,d sends, %,d failed and sent again%n",
                    REQUESTS, USERS, sender.sent(), sender.failures());
                System.out.printf("  kills       %d of the processor (%d with unprocessed input; input lag at each "
                    + "kill %s), %d of the broker%n",
                    lagAtKills.size(), killsWhileBehind, lagAtKills, brokerStarts - 1);
                System.out.printf("  alerts      %,d, each once read_committed; %,d records read_uncommitted%n",
                    alerts.size(), uncommittedAlerts);
                System.out.printf("  duration    %ds until every total was right (%ds of it sending with faults)%n",
                    firstPass.toSeconds(), faultPhase.toSeconds());
                System.out.printf("  replay      %,d requests again in %ds, no total changed, no alert raised; "
                    + "duplicates dropped by the last processor: %,d%n", REQUESTS, replay.toSeconds(), duplicates);
                assertEquals(PROCESSOR_KILLS, lagAtKills.size());
            }
        } finally {
            stopAll();
        }
    }

    /**
     * Sends the input in slices, one more than the processor kills. After each slice the processor is killed at
     * a random moment and restarted. During the middle slice the broker is killed and restarted first.
     */
    private void sendWithFaults(FaultWorkload workload, FaultSender sender, Admin admin) throws Exception {
        List<TokenRequest> requests = workload.requests();
        int slices = PROCESSOR_KILLS + 1;
        int brokerKillSlice = PROCESSOR_KILLS / 2;
        for (int slice = 0; slice < slices; slice++) {
            sender.send(requests.subList(requests.size() * slice / slices, requests.size() * (slice + 1) / slices));
            if (slice == brokerKillSlice) {
                Thread.sleep(random.nextInt(50));
                killAndRestartBroker(admin);
            }
            sender.flushAndResend();
            if (slice < PROCESSOR_KILLS) {
                awaitRunning();
                awaitProgress(admin, 0.1 + 0.8 * random.nextDouble());
                killAndRestartProcessor(admin, workload.monthlyLimit());
            }
        }
    }

    private void killAndRestartBroker(Admin admin) throws Exception {
        long lag = inputLag(admin);
        long pid = broker.pid();
        broker.kill();
        System.out.printf("Killed the broker (pid %d) with SIGKILL, %,d input records unprocessed%n", pid, lag);
        startBroker();
    }

    private void killAndRestartProcessor(Admin admin, long monthlyLimit) throws Exception {
        long lag = inputLag(admin);
        long pid = processor.pid();
        processor.kill();
        lagAtKills.add(lag);
        System.out.printf("Killed processor %d (pid %d) with SIGKILL, %,d input records unprocessed%n",
            lagAtKills.size(), pid, lag);
        removeDeadMembers(admin);
        startProcessor(monthlyLimit);
    }

    private void startBroker() throws IOException, InterruptedException {
        brokerStarts++;
        broker = ChildJvm.start("broker-" + brokerStarts, workDir, JVM_OPTIONS, List.of("stack",
            "--data-dir", workDir.resolve("kafka-data").toString(),
            "--kafka-port", Integer.toString(kafkaPort),
            "--registry-port", Integer.toString(registryPort),
            "--partitions", Integer.toString(PARTITIONS)), Map.of());
        broker.awaitOutput("Press Ctrl-C to stop.", START_TIMEOUT);
    }

    private void startProcessor(long monthlyLimit) throws IOException {
        processorStarts++;
        String thresholds = FaultWorkload.THRESHOLDS_PERCENT.stream().map(String::valueOf)
            .collect(Collectors.joining(","));
        processor = ChildJvm.start("processor-" + processorStarts, workDir, JVM_OPTIONS, List.of("processor",
            "--bootstrap-servers", bootstrapServers(),
            "--schema-registry-url", registryUrl(),
            "--http-port", Integer.toString(httpPort),
            "--state-dir", workDir.resolve("processor-state").toString(),
            "--application-id", APPLICATION_ID,
            "--monthly-limit", Long.toString(monthlyLimit),
            "--default-thresholds", thresholds), Map.of("TOKEN_MONITOR_ADMIN_TOKEN", ADMIN_TOKEN));
    }

    /** Waits until the processor's {@code /health} reports Kafka Streams RUNNING. */
    private void awaitRunning() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!processor.isAlive()) {
                throw new AssertionError(processor.name() + " died.\n" + processor.outputTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(processor.name() + " is not RUNNING after " + START_TIMEOUT + ".\n"
                    + processor.outputTail());
            }
            try {
                HttpResponse<String> response = get("/health");
                if ("RUNNING".equals(JSON.readTree(response.body()).path("streamsState").asText())) {
                    return;
                }
            } catch (ConnectException e) {
                // The HTTP API is not up yet.
            }
            Thread.sleep(200);
        }
    }

    /**
     * Removes every member from the processor's consumer group, which after a kill is only the dead one. The
     * restarted instance then joins at once instead of waiting for the dead member's session to expire.
     */
    private void removeDeadMembers(Admin admin) throws InterruptedException {
        try {
            admin.removeMembersFromConsumerGroup(APPLICATION_ID, new RemoveMembersFromConsumerGroupOptions())
                .all().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.out.printf("Removing the dead member of group %s failed, so the restart waits for its session "
                + "to expire: %s%n", APPLICATION_ID, e);
        }
    }

    /** Returns how many input records the processor has not yet committed as processed. */
    private long inputLag(Admin admin) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                latest.put(new TopicPartition(Topics.TOKEN_REQUESTS.name(), partition), OffsetSpec.latest());
            }
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .entrySet()) {
                OffsetAndMetadata position = committed.get(end.getKey());
                lag += end.getValue().offset() - (position == null ? 0 : position.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /**
     * Waits until the processor has committed part of the input it had not yet processed when this method was
     * called: until its input lag falls to {@code remainingFraction} of the lag at the start, or to zero. So
     * the kills fall at random points of the input, including the later part where users cross thresholds, and
     * not only into the start-up, where RUNNING can come seconds before the first commit.
     */
    private void awaitProgress(Admin admin, double remainingFraction) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
        long initialLag = inputLag(admin);
        while (initialLag < 0) {
            assertTrue(Instant.now().isBefore(deadline), "reading the input lag failed until " + deadline);
            Thread.sleep(100);
            initialLag = inputLag(admin);
        }
        long target = (long) (initialLag * remainingFraction);
        long lag = initialLag;
        while (lag != 0 && (lag < 0 || lag > target)) {
            if (!processor.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError(processor.name() + " did not reach input lag " + target + " within "
                    + PROCESSING_TIMEOUT + "; input lag " + lag + ".\n" + processor.outputTail());
            }
            Thread.sleep(50);
            lag = inputLag(admin);
        }
    }

    /** Waits until the processor has committed every input record, checking that it stays alive. */
    private void awaitProcessed(Admin admin) throws IOException, InterruptedException {
        awaitRunning();
        Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
        long lag = inputLag(admin);
        while (lag != 0) {
            if (!processor.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("The processor did not process the input within " + PROCESSING_TIMEOUT
                    + "; input lag " + lag + ".\n" + processor.outputTail());
            }
            Thread.sleep(500);
            lag = inputLag(admin);
        }
    }

    /** Reads every expected user and period's totals from the processor's HTTP API. */
    private Map<UserPeriod, Totals> readTotals(FaultWorkload workload) throws IOException, InterruptedException {
        Map<UserPeriod, Totals> totals = new HashMap<>();
        for (UserPeriod key : workload.expected().keySet()) {
            String path = "/api/v1/users/" + URLEncoder.encode(key.userId(), StandardCharsets.UTF_8)
                + "/usage?period=" + key.period();
            JsonNode usage = JSON.readTree(getWithRetry(path).body());
            totals.put(key, new Totals(usage.get("requests").asLong(), usage.get("promptTokens").asLong(),
                usage.get("completionTokens").asLong()));
            assertEquals(usage.get("totalTokens").asLong(), totals.get(key).totalTokens(), "totalTokens of " + key);
        }
        return totals;
    }

    private static void assertTotals(Map<UserPeriod, Totals> expected, Map<UserPeriod, Totals> actual,
        String when) {
        Map<UserPeriod, String> wrong = new TreeMap<>(
            (a, b) -> (a.userId() + a.period()).compareTo(b.userId() + b.period()));
        expected.forEach((key, totals) -> {
            if (!totals.equals(actual.get(key))) {
                wrong.put(key, "expected " + totals + ", got " + actual.get(key));
            }
        });
        assertEquals(Map.of(), wrong, wrong.size() + " of " + expected.size() + " user periods are wrong " + when);
    }

    /** Checks the last committed record of each user and period in {@code usage-periods}. */
    private void assertPeriodTopic(Map<UserPeriod, Totals> expected) {
        AvroSerde<UsagePeriod> serde = new AvroSerde<>(new RestSchemaRegistryClient(registryUrl()),
            UsagePeriod.class);
        Map<UserPeriod, Totals> last = new HashMap<>();
        try (TopicReader<UsagePeriod> reader = new TopicReader<>(bootstrapServers(), Topics.USAGE_PERIODS.name(),
            serde.deserializer())) {
            for (ConsumerRecord<String, UsagePeriod> record : reader.readToEnd(PROCESSING_TIMEOUT)) {
                UsagePeriod period = record.value();
                last.put(new UserPeriod(period.getUserId(), period.getPeriod()), new Totals(period.getRequests(),
                    period.getPromptTokens(), period.getCompletionTokens()));
            }
        }
        assertTotals(expected, last, "in the last committed records of " + Topics.USAGE_PERIODS.name());
    }

    /** Reads {@code usage-alerts} from the beginning with read_committed. */
    private List<UsageAlert> readAlerts() {
        AvroSerde<UsageAlert> serde = new AvroSerde<>(new RestSchemaRegistryClient(registryUrl()), UsageAlert.class);
        try (TopicReader<UsageAlert> reader = new TopicReader<>(bootstrapServers(), Topics.USAGE_ALERTS.name(),
            serde.deserializer())) {
            return reader.readToEnd(PROCESSING_TIMEOUT).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static void assertAlertsOnce(Set<AlertKey> expected, List<UsageAlert> alerts, long monthlyLimit) {
        Map<AlertKey, Long> counts = alerts.stream().collect(Collectors.groupingBy(
            alert -> new AlertKey(alert.getUserId(), alert.getPeriod(), alert.getThresholdPercent()),
            Collectors.counting()));
        Map<AlertKey, Long> repeated = counts.entrySet().stream().filter(entry -> entry.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), repeated, repeated.size() + " alerts appear more than once");

        Set<AlertKey> missing = expected.stream().filter(key -> !counts.containsKey(key)).collect(Collectors.toSet());
        assertEquals(Set.of(), missing, missing.size() + " of " + expected.size() + " expected alerts are missing");
        Set<AlertKey> unexpected = counts.keySet().stream().filter(key -> !expected.contains(key))
            .collect(Collectors.toSet());
        assertEquals(Set.of(), unexpected, unexpected.size() + " alerts were not expected");

        for (UsageAlert alert : alerts) {
            assertEquals(monthlyLimit, alert.getLimit(), "limit of alert " + alert.getAlertId());
            assertTrue(alert.getTotalTokens() * 100 >= alert.getThresholdPercent() * monthlyLimit,
                "alert " + alert.getAlertId() + " fired below its threshold");
        }
    }

    /**
     * Counts the records of {@code usage-alerts} read with read_uncommitted, which include the alerts of
     * transactions that the kills aborted. The difference to the read_committed count shows that the kills hit
     * transactions in progress.
     */
    private long countAlertRecordsUncommitted() {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE_ALERTS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
            long count = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                assertTrue(Instant.now().isBefore(deadline), "reading usage-alerts timed out");
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private void assertNoDeadLetters() {
        try (TopicReader<byte[]> reader = new TopicReader<>(bootstrapServers(), Topics.TOKEN_REQUESTS_DLQ.name(),
            new ByteArrayDeserializer())) {
            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : reader.readToEnd(REQUEST_TIMEOUT)) {
                Header reason = record.headers().lastHeader("dlq.reason");
                reasons.add(reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of(), reasons, "valid requests were dead-lettered");
        }
    }

    /** Returns the duplicates the running processor has dropped since it started, from {@code /api/v1/stats}. */
    private long duplicatesSinceStart() throws IOException, InterruptedException {
        JsonNode stats = JSON.readTree(getWithRetry("/api/v1/stats").body());
        assertTrue(stats.has("duplicatesSinceStart"), stats.toString());
        return stats.get("duplicatesSinceStart").asLong();
    }

    /** GETs an API path, retrying 503 responses (partitions moving) for up to the start timeout. */
    private HttpResponse<String> getWithRetry(String path) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpResponse<String> response = get(path);
        while (response.statusCode() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            response = get(path);
        }
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void stopAll() throws InterruptedException {
        if (processor != null) {
            processor.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    private String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Returns distinct free ports. The child JVMs bind them later, and every restart binds the same ones. */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
