package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.validation.DeadLetterSizeLimit;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TextProfile;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageReset;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile input on the token-requests topic, one table row each. Every row ends in the
 * dead-letter topic with its reason, or is counted (or dropped as a duplicate) under the validation rules,
 * and a valid request sent after it is still counted.
 */
class HostileInputTest {

    private static final Instant MARCH = Instant.parse("2026-03-10T12:00:00Z");
    private static final String UNKNOWN_MODEL = "acme/unknown-model";
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path stateDir;

    /**
     * One hostile input: what is sent after a valid warm-up request, and the reason it is dead-lettered with, or
     * the total tokens it is counted with when {@code reason} is null, or a dropped duplicate.
     */
    record Row(String name, Consumer<TopologyFixture> send, String reason, long countedTokens, boolean duplicate) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();

        // Bytes that are not a TokenRequest in the wire format.
        rows.add(dead("wrong magic byte", "undecodable", fixture -> {
            byte[] value = valid(fixture);
            value[0] = 1;
            fixture.sendRaw("user-1", value, MARCH);
        }));
        rows.add(dead("empty value", "undecodable", fixture -> fixture.sendRaw("user-1", new byte[0], MARCH)));
        rows.add(dead("null value", "undecodable", fixture -> fixture.sendRaw("user-1", null, MARCH)));
        rows.add(dead("header without body", "undecodable",
            fixture -> fixture.sendRaw("user-1", Arrays.copyOf(valid(fixture), 5), MARCH)));
        rows.add(dead("truncated Avro", "undecodable", fixture -> {
            byte[] value = valid(fixture);
            fixture.sendRaw("user-1", Arrays.copyOf(value, value.length - 3), MARCH);
        }));
        rows.add(dead("bytes after the record", "undecodable", fixture -> {
            byte[] value = valid(fixture);
            fixture.sendRaw("user-1", Arrays.copyOf(value, value.length + 4), MARCH);
        }));
        rows.add(dead("string length beyond the value", "undecodable", fixture -> {
            byte[] header = Arrays.copyOf(valid(fixture), 5);
            byte[] value = Arrays.copyOf(header, 10);
            // Zig-zag varint of a string length near 2^31, far more than the bytes that follow.
            byte[] length = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
            System.arraycopy(length, 0, value, 5, length.length);
            fixture.sendRaw("user-1", value, MARCH);
        }));
        rows.add(dead("unknown schema id", "unknown-schema", fixture -> {
            byte[] value = valid(fixture);
            ByteBuffer.wrap(value).putInt(1, 9999);
            fixture.sendRaw("user-1", value, MARCH);
        }));
        rows.add(dead("negative schema id", "unknown-schema", fixture -> {
            byte[] value = valid(fixture);
            ByteBuffer.wrap(value).putInt(1, -1);
            fixture.sendRaw("user-1", value, MARCH);
        }));
        rows.add(dead("valid Avro of another record type", "undecodable", fixture -> {
            UsageReset reset = UsageReset.newBuilder().setResetId("r-1").setUserId("user-1").setRequestedAt(MARCH)
                .build();
            byte[] value = new AvroSerde<>(fixture.registry, UsageReset.class)
                .serialize(Topics.USAGE_RESETS.name(), reset);
            fixture.sendRaw("user-1", value, MARCH);
        }));
        rows.add(dead("null userId in a writer schema that allows it", "undecodable",
            fixture -> fixture.sendRaw(null, nullUserValue(fixture), MARCH)));

        // Keys and ids.
        rows.add(dead("null key", "key-mismatch", fixture -> fixture.sendRaw(null, valid(fixture), MARCH)));
        rows.add(dead("key of another user", "key-mismatch", fixture -> fixture.sendRaw("user-2", valid(fixture),
            MARCH)));
        rows.add(dead("empty userId", "missing-field",
            fixture -> fixture.sendRaw("", fixture.encode(request().setUserId("").build()), MARCH)));
        rows.add(dead("blank requestId", "missing-field", fixture -> fixture.send(request().setRequestId(" \t")
            .build())));
        rows.add(dead("empty model", "missing-field", fixture -> fixture.send(request().setModel("").build())));
        rows.add(dead("userId of 257 characters", "oversized",
            fixture -> fixture.send(request().setUserId("u".repeat(257)).build())));
        rows.add(dead("requestId of 1 MiB", "oversized",
            fixture -> fixture.send(request().setRequestId("r".repeat(MIB)).build())));
        rows.add(dead("model of 10,000 characters", "oversized",
            fixture -> fixture.send(request().setModel("m".repeat(10_000)).build())));
        rows.add(dead("provider of 257 characters", "oversized",
            fixture -> fixture.send(request().setProvider("p".repeat(257)).build())));
        rows.add(dead("app of 300 characters", "oversized",
            fixture -> fixture.send(request().setApp("a".repeat(300)).build())));
        rows.add(dead("NUL in userId", "invalid-field",
            fixture -> fixture.send(request().setUserId("user\u0000x").build())));
        rows.add(dead("newline in requestId", "invalid-field",
            fixture -> fixture.send(request().setRequestId("req\n1").build())));
        rows.add(dead("DEL in requestId", "invalid-field",
            fixture -> fixture.send(request().setRequestId("req\u007f").build())));
        rows.add(dead("invalid UTF-8 in userId and key", "invalid-field", HostileInputTest::sendInvalidUtf8User));
        rows.add(dead("invalid UTF-8 in requestId", "invalid-field", fixture -> {
            byte[] value = fixture.encode(request().setRequestId("req-@@").build());
            fixture.sendRaw("user-1", replace(value, "@@", new byte[] {(byte) 0xC3, 0x28}), MARCH);
        }));

        // Counts.
        rows.add(dead("negative prompt count", "negative-count",
            fixture -> fixture.send(request().setReportedPromptTokens(-1L).setReportedCompletionTokens(5L).build())));
        rows.add(dead("completion count at Long.MIN_VALUE", "negative-count",
            fixture -> fixture.send(request().setReportedCompletionTokens(Long.MIN_VALUE).build())));
        rows.add(dead("prompt count at Long.MAX_VALUE", "count-out-of-range",
            fixture -> fixture.send(request().setReportedPromptTokens(Long.MAX_VALUE).build())));
        rows.add(dead("total that overflows the parts' limit", "count-out-of-range",
            fixture -> fixture.send(request().setReportedPromptTokens(1_000_000_000L)
                .setReportedCompletionTokens(1_000_000_000L).setReportedTotalTokens(2_000_000_000L).build())));
        rows.add(counted("both parts at the maximum count", 2_000_000_000L,
            fixture -> fixture.send(request().setReportedPromptTokens(1_000_000_000L)
                .setReportedCompletionTokens(1_000_000_000L).build())));
        rows.add(dead("total below its parts", "count-out-of-range",
            fixture -> fixture.send(request().setReportedPromptTokens(30L).setReportedTotalTokens(20L).build())));
        rows.add(dead("profile with negative code points", "invalid-profile", fixture -> {
            TextProfile profile = TextProfiles.ofText("hello");
            profile.setCodePoints(-5L);
            fixture.send(request().setPromptProfile(profile).build());
        }));

        // Event times.
        rows.add(dead("timestamp before 1970", "invalid-field",
            fixture -> fixture.send(request().setTimestamp(Instant.ofEpochMilli(-1)).build())));
        rows.add(dead("timestamp at Long.MIN_VALUE", "invalid-field",
            fixture -> fixture.send(request().setTimestamp(Instant.ofEpochMilli(Long.MIN_VALUE)).build())));
        rows.add(counted("negative record timestamp on a valid request", 2,
            fixture -> fixture.sendRaw("user-1", valid(fixture), Instant.ofEpochMilli(-1))));
        rows.add(dead("timestamp at 0 after a recent event", "late",
            fixture -> fixture.send(request().setTimestamp(Instant.EPOCH).build())));
        rows.add(dead("timestamp in the year 3000", "future",
            fixture -> fixture.send(request().setTimestamp(Instant.parse("3000-01-01T00:00:00Z")).build())));
        rows.add(dead("timestamp at Long.MAX_VALUE", "future",
            fixture -> fixture.send(request().setTimestamp(Instant.ofEpochMilli(Long.MAX_VALUE)).build())));

        // Texts: the limit is 1 MiB of UTF-8 each.
        rows.add(counted("completion of exactly 1 MiB", MIB / 4,
            fixture -> fixture.send(request().setModel(UNKNOWN_MODEL).setCompletionText("a".repeat(MIB)).build())));
        rows.add(counted("two-byte characters filling 1 MiB", MIB / 2 / 4,
            fixture -> fixture.send(request().setModel(UNKNOWN_MODEL).setPromptText("é".repeat(MIB / 2)).build())));
        rows.add(dead("prompt one byte over 1 MiB", "oversized",
            fixture -> fixture.send(request().setPromptText("é".repeat(MIB / 2) + "a").build())));
        rows.add(dead("completion of 1.5 MiB", "oversized",
            fixture -> fixture.send(request().setCompletionText("b".repeat(MIB + MIB / 2)).build())));
        rows.add(dead("completion of 10 MB", "oversized",
            fixture -> fixture.send(request().setCompletionText("c".repeat(10_000_000)).build())));
        rows.add(counted("control characters in a text", 2,
            fixture -> fixture.send(request().setModel(UNKNOWN_MODEL).setCompletionText("\u0000\u0001bell\u0007")
                .build())));
        rows.add(counted("emoji outside the BMP in a text", 1,
            fixture -> fixture.send(request().setModel(UNKNOWN_MODEL).setPromptText("\uD83D\uDE00".repeat(3))
                .build())));
        rows.add(counted("empty texts", 0,
            fixture -> fixture.send(request().setModel(UNKNOWN_MODEL).setPromptText("").setCompletionText("")
                .build())));

        // Repeats.
        rows.add(duplicate("same requestId twice", fixture -> {
            TokenRequest request = request().setRequestId("twice").setReportedPromptTokens(3L)
                .setReportedCompletionTokens(4L).build();
            fixture.send(request);
            fixture.send(request);
        }));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldDeadLetterOrCountHostileInput(Row row) {
        try (TopologyFixture fixture = new TopologyFixture(1_000_000, stateDir)) {
            fixture.send(request().setRequestId("warm-up").setTimestamp(MARCH).setReportedPromptTokens(1L)
                .setReportedCompletionTokens(1L).build());
            assertEquals(2, fixture.usage.readValue().getTotalTokens());

            row.send().accept(fixture);

            List<TestRecord<String, byte[]>> deadLetters = fixture.deadLetters.readRecordsToList();
            List<TokenUsage> usage = fixture.usage.readValuesToList();
            if (row.reason() != null) {
                assertEquals(1, deadLetters.size(), "dead letters");
                TestRecord<String, byte[]> dead = deadLetters.get(0);
                assertEquals(row.reason(), header(dead, DeadLetterHeaders.REASON));
                assertEquals(Topics.TOKEN_REQUESTS.name(), header(dead, DeadLetterHeaders.SOURCE_TOPIC));
                assertEquals("0", header(dead, DeadLetterHeaders.SOURCE_PARTITION));
                assertEquals("1", header(dead, DeadLetterHeaders.SOURCE_OFFSET));
                assertTrue(header(dead, DeadLetterHeaders.ERROR).length() <= 1100, "error header is bounded");
                assertTrue(dead.value() == null || dead.value().length <= DeadLetterSizeLimit.MAX_VALUE_BYTES);
                assertEquals(1L, fixture.rejections.snapshot().get(row.reason()), "rejections counted");
                assertTrue(usage.isEmpty(), "nothing counted");
            } else if (row.duplicate()) {
                assertTrue(deadLetters.isEmpty(), "a duplicate is no dead letter");
                assertEquals(1, usage.size());
                assertEquals(1, fixture.rejections.duplicates());
            } else {
                assertTrue(deadLetters.isEmpty(), "no dead letter");
                assertEquals(1, usage.size());
                assertEquals(row.countedTokens(), usage.get(0).getTotalTokens());
            }

            fixture.send(request().setRequestId("after").setReportedPromptTokens(5L).setReportedCompletionTokens(5L)
                .build());
            assertEquals(10, fixture.usage.readValue().getTotalTokens(), "a valid request after it is counted");
        }
    }

    @Test
    void shouldKeepOriginalBytesOfSmallDeadLetter() {
        try (TopologyFixture fixture = new TopologyFixture(1_000_000, stateDir)) {
            byte[] value = fixture.encode(request().setUserId("u".repeat(300)).build());
            fixture.sendRaw("u".repeat(300), value, MARCH);

            TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
            assertEquals("oversized", header(dead, DeadLetterHeaders.REASON));
            assertEquals("u".repeat(300), dead.key());
            assertArrayEquals(value, dead.value());
            assertNull(header(dead, DeadLetterHeaders.VALUE_TRUNCATED));
            assertNull(header(dead, DeadLetterHeaders.KEY_TRUNCATED));
        }
    }

    @Test
    void shouldTruncateHugeDeadLetter() {
        try (TopologyFixture fixture = new TopologyFixture(1_000_000, stateDir)) {
            String key = "k".repeat(5000);
            byte[] value = fixture.encode(request().setUserId(key).setCompletionText("c".repeat(10_000_000)).build());
            fixture.sendRaw(key, value, MARCH);

            TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
            assertEquals("oversized", header(dead, DeadLetterHeaders.REASON));
            assertEquals(Integer.toString(value.length), header(dead, DeadLetterHeaders.VALUE_TRUNCATED));
            assertArrayEquals(Arrays.copyOf(value, DeadLetterSizeLimit.MAX_VALUE_BYTES), dead.value());
            assertEquals("5000", header(dead, DeadLetterHeaders.KEY_TRUNCATED));
            assertEquals(key.substring(0, DeadLetterSizeLimit.MAX_KEY_LENGTH), dead.key());
            assertEquals(1, fixture.rejections.count(RejectionReason.OVERSIZED));
        }
    }

    @Test
    void shouldDropLargeOriginalHeadersOfDeadLetter() {
        try (TopologyFixture fixture = new TopologyFixture(1_000_000, stateDir)) {
            TestRecord<String, byte[]> record = new TestRecord<>("user-1", new byte[] {1, 2, 3}, MARCH);
            record.headers().add("big", new byte[100_000]);
            record.headers().add("small", new byte[] {1});
            fixture.requests.pipeInput(record);

            TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
            assertEquals("undecodable", header(dead, DeadLetterHeaders.REASON));
            assertEquals("2", header(dead, DeadLetterHeaders.HEADERS_DROPPED));
            assertNull(dead.headers().lastHeader("big"));
            assertNull(dead.headers().lastHeader("small"));
        }
    }

    @Test
    void shouldHonourConfiguredTextLimit() {
        try (TopologyFixture fixture = new TopologyFixture(
            ProcessorConfig.defaults().withMaxTextBytes(10), stateDir,
            TopologyFixture.WALL_CLOCK)) {
            fixture.send(request().setModel(UNKNOWN_MODEL).setPromptText("a".repeat(10)).build());
            fixture.send(request().setModel(UNKNOWN_MODEL).setPromptText("a".repeat(11)).build());

            assertEquals(1, fixture.usage.readValuesToList().size());
            assertEquals("oversized", header(fixture.deadLetters.readRecord(), DeadLetterHeaders.REASON));
        }
    }

    private static Row dead(String name, String reason, Consumer<TopologyFixture> send) {
        return new Row(name, send, reason, 0, false);
    }

    private static Row counted(String name, long tokens, Consumer<TopologyFixture> send) {
        return new Row(name, send, null, tokens, false);
    }

    private static Row duplicate(String name, Consumer<TopologyFixture> send) {
        return new Row(name, send, null, 0, true);
    }

    private static byte[] valid(TopologyFixture fixture) {
        return fixture.encode(request().setReportedPromptTokens(1L).setReportedCompletionTokens(1L).build());
    }

    /** Sends a request whose userId and key are the same invalid UTF-8 bytes. */
    private static void sendInvalidUtf8User(TopologyFixture fixture) {
        byte[] invalid = {'u', (byte) 0xC3, 0x28};
        byte[] value = replace(fixture.encode(request().setUserId("u@@").build()), "@@", Arrays.copyOfRange(invalid,
            1, 3));
        TestInputTopic<byte[], byte[]> rawKeys = fixture.driver.createInputTopic(Topics.TOKEN_REQUESTS.name(),
            new ByteArraySerializer(), new ByteArraySerializer());
        rawKeys.pipeInput(invalid, value, MARCH);
    }

    /** Replaces the only occurrence of an ASCII marker with bytes of the same length. */
    private static byte[] replace(byte[] value, String marker, byte[] replacement) {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= value.length; i++) {
            if (Arrays.equals(value, i, i + needle.length, needle, 0, needle.length)) {
                byte[] patched = value.clone();
                System.arraycopy(replacement, 0, patched, i, replacement.length);
                return patched;
            }
        }
        throw new IllegalArgumentException("Marker " + marker + " not found");
    }

    /** Encodes a request with a null userId under a registered variant of the schema whose userId is nullable. */
    private static byte[] nullUserValue(TopologyFixture fixture) {
        Schema original = TokenRequest.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : original.getFields()) {
            Schema type = field.name().equals("userId")
                ? Schema.createUnion(Schema.create(Schema.Type.NULL), field.schema())
                : field.schema();
            fields.add(new Schema.Field(field, type));
        }
        Schema schema = Schema.createRecord(original.getName(), original.getDoc(), original.getNamespace(), false,
            fields);
        assertTrue(schema.getField("userId").schema().isNullable(), "the variant schema allows a null userId");
        int schemaId = fixture.registry.register("hostile-null-user-value", schema);

        GenericRecord record = new GenericData.Record(schema);
        record.put("requestId", "null-user");
        record.put("userId", null);
        record.put("timestamp", MARCH.toEpochMilli());
        record.put("model", "gpt-4o");
        record.put("provider", "auto");
        record.put("imported", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroSerde.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
