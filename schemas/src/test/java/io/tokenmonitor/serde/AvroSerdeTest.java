package io.tokenmonitor.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AvroSerdeTest {

    private static final String USAGE_TOPIC = Topics.TOKEN_USAGE.name();
    private static final String REQUEST_TOPIC = Topics.TOKEN_REQUESTS.name();
    private static final Instant EVENT_TIME = Instant.ofEpochMilli(1_714_000_000_123L);

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(registry, TokenUsage.class);
    private final AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(registry, TokenRequest.class);

    @Test
    void shouldWriteMagicByteAndBigEndianSchemaId() {
        registry.register("something-else-value", Schema.create(Schema.Type.STRING));

        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());

        assertEquals(0, bytes[0]);
        assertArrayEquals(new byte[] {0, 0, 0, 2}, Arrays.copyOfRange(bytes, 1, 5));
        assertEquals(2, registry.lookup("token-usage-value", TokenUsage.getClassSchema()).id());
    }

    @Test
    void shouldWriteSchemaIdAboveOneByte() {
        for (int index = 0; index < 300; index++) {
            registry.register("filler-" + index, Schema.createFixed("F" + index, null, "test", 1));
        }

        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());

        // Id 301 is 0x012D.
        assertArrayEquals(new byte[] {0, 0, 0, 0x01, 0x2D}, Arrays.copyOfRange(bytes, 0, 5));
    }

    @Test
    void shouldWriteAvroBinaryOfTokenUsageAfterHeader() throws IOException {
        Schema schema = TokenUsage.getClassSchema();
        GenericRecord expected = new GenericData.Record(schema);
        expected.put("requestId", "req-1");
        expected.put("userId", "user-7");
        expected.put("timestamp", EVENT_TIME.toEpochMilli());
        expected.put("model", "meta-llama/Meta-Llama-3-70B-Instruct");
        expected.put("provider", "together");
        expected.put("app", null);
        expected.put("promptTokens", 12L);
        expected.put("completionTokens", 30L);
        expected.put("totalTokens", 42L);
        expected.put("tokenSource", new GenericData.EnumSymbol(schema.getField("tokenSource").schema(), "REPORTED"));
        expected.put("period", "");
        expected.put("estimator", "");
        expected.put("costMicros", null);

        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());
        byte[] body = Arrays.copyOfRange(bytes, AvroSerde.HEADER_SIZE, bytes.length);

        assertArrayEquals(genericBinary(schema, expected), body);
        // Hand-checked start: zig-zag length 5 (0x0A), then "req-1".
        assertArrayEquals(new byte[] {0x0A, 'r', 'e', 'q', '-', '1'}, Arrays.copyOfRange(body, 0, 6));
    }

    @Test
    void shouldWriteAvroBinaryOfTokenRequestAfterHeader() throws IOException {
        Schema schema = TokenRequest.getClassSchema();
        GenericRecord expected = new GenericData.Record(schema);
        expected.put("requestId", "req-2");
        expected.put("userId", "user-7");
        expected.put("timestamp", EVENT_TIME.toEpochMilli());
        expected.put("model", "gpt-4o");
        expected.put("provider", "auto");
        expected.put("promptText", "Hello");
        expected.put("completionText", null);
        expected.put("reportedPromptTokens", 3L);
        expected.put("reportedCompletionTokens", null);
        expected.put("app", "cli");
        expected.put("imported", false);

        byte[] bytes = requestSerde.serialize(REQUEST_TOPIC, request());

        assertEquals(0, bytes[0]);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, Arrays.copyOfRange(bytes, 1, 5));
        assertArrayEquals(genericBinary(schema, expected), Arrays.copyOfRange(bytes, 5, bytes.length));
    }

    @Test
    void shouldRoundTripRecords() {
        TokenUsage usage = usage();
        TokenRequest request = request();

        assertEquals(usage, usageSerde.deserialize(USAGE_TOPIC, usageSerde.serialize(USAGE_TOPIC, usage)));
        assertEquals(request, requestSerde.deserialize(REQUEST_TOPIC, requestSerde.serialize(REQUEST_TOPIC, request)));
    }

    @Test
    void shouldRoundTripThroughKafkaSerializerInterfaces() {
        byte[] bytes = usageSerde.serializer().serialize(USAGE_TOPIC, usage());

        assertEquals(usage(), usageSerde.deserializer().deserialize(USAGE_TOPIC, bytes));
    }

    @Test
    void shouldRoundTripUsagePeriodWithMapAndArray() {
        AvroSerde<UsagePeriod> serde = new AvroSerde<>(registry, UsagePeriod.class);
        UsagePeriod period = period(Map.of("gpt-4o", new ModelUsage(1L, 2L, 3L, 5L, 0L, 0L)),
            List.of(50, 80));

        UsagePeriod decoded = serde.deserialize("usage-periods", serde.serialize("usage-periods", period));

        assertEquals(period, decoded);
    }

    @Test
    void shouldKeepNullAsNull() {
        assertNull(usageSerde.serialize(USAGE_TOPIC, null));
        assertNull(usageSerde.deserialize(USAGE_TOPIC, null));
        assertEquals(List.of(), registry.subjects());
    }

    @Test
    void shouldRejectWrongMagicByte() {
        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());
        bytes[0] = 1;

        WireFormatException error = assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, bytes));

        assertEquals("Unknown magic byte 1, expected 0", error.getMessage());
    }

    @Test
    void shouldRejectValuesShorterThanHeader() {
        for (byte[] bytes : List.of(new byte[0], new byte[] {0}, new byte[] {0, 0, 0, 1})) {
            assertThrows(WireFormatException.class, () -> usageSerde.deserialize(USAGE_TOPIC, bytes),
                bytes.length + " bytes");
        }
    }

    @Test
    void shouldReportUnknownSchemaId() {
        byte[] bytes = {0, 0, 0, 0, 0x7F, 0x02, 'x'};

        UnknownSchemaException error = assertThrows(UnknownSchemaException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, bytes));

        assertEquals(127, error.schemaId());
    }

    @Test
    void shouldRejectTruncatedBody() {
        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());

        for (int length = AvroSerde.HEADER_SIZE; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);

            assertThrows(WireFormatException.class, () -> usageSerde.deserialize(USAGE_TOPIC, truncated),
                "length " + length);
        }
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());
        byte[] extended = Arrays.copyOf(bytes, bytes.length + 1);

        WireFormatException error = assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, extended));

        assertTrue(error.getMessage().contains("left over"), error.getMessage());
    }

    @Test
    void shouldRejectHugeStringLength() throws IOException {
        int schemaId = registry.register("token-usage-value", TokenUsage.getClassSchema());
        // The first field, requestId, claims 2^30 bytes but the value ends at once.
        byte[] body = rawBinary(encoder -> encoder.writeLong(1L << 30));

        assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, withHeader(schemaId, body)));
    }

    @Test
    void shouldRejectHugeMapAndArrayCounts() throws IOException {
        AvroSerde<UsagePeriod> serde = new AvroSerde<>(registry, UsagePeriod.class);
        int schemaId = registry.register("usage-periods-value", UsagePeriod.getClassSchema());
        for (long count : List.of(1L << 30, Integer.MAX_VALUE - 1L, 1L << 40, -(1L << 30))) {
            byte[] hugeMap = rawBinary(encoder -> {
                writePeriodScalars(encoder);
                encoder.writeLong(count);
            });
            byte[] hugeArray = rawBinary(encoder -> {
                writePeriodScalars(encoder);
                encoder.writeLong(0);
                encoder.writeLong(count);
            });

            assertThrows(WireFormatException.class,
                () -> serde.deserialize("usage-periods", withHeader(schemaId, hugeMap)), "map count " + count);
            assertThrows(WireFormatException.class,
                () -> serde.deserialize("usage-periods", withHeader(schemaId, hugeArray)), "array count " + count);
        }
    }

    @Test
    void shouldRejectInvalidEnumAndUnionIndexes() throws IOException {
        int schemaId = registry.register("token-usage-value", TokenUsage.getClassSchema());
        byte[] badUnion = rawBinary(encoder -> {
            encoder.writeString("r");
            encoder.writeString("u");
            encoder.writeLong(0);
            encoder.writeString("m");
            encoder.writeString("p");
            encoder.writeIndex(7);
        });
        byte[] badEnum = rawBinary(encoder -> {
            encoder.writeString("r");
            encoder.writeString("u");
            encoder.writeLong(0);
            encoder.writeString("m");
            encoder.writeString("p");
            encoder.writeIndex(0);
            encoder.writeLong(1);
            encoder.writeLong(2);
            encoder.writeLong(3);
            encoder.writeEnum(9);
        });

        assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, withHeader(schemaId, badUnion)));
        assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, withHeader(schemaId, badEnum)));
    }

    @Test
    void shouldReplaceInvalidUtf8WithReplacementCharacter() {
        byte[] bytes = usageSerde.serialize(USAGE_TOPIC, usage());
        // Bytes 6 to 10 are "req-1". 0xC3 starts a two-byte sequence, and 'e' cannot continue it.
        bytes[6] = (byte) 0xC3;

        TokenUsage decoded = usageSerde.deserialize(USAGE_TOPIC, bytes);

        // Avro decodes strings with String's UTF-8 decoder, which substitutes rather than rejects.
        assertEquals("\uFFFDeq-1", decoded.getRequestId());
    }

    @Test
    void shouldThrowOnlyWireFormatExceptionForRandomBodies() {
        AvroSerde<UsagePeriod> periodSerde = new AvroSerde<>(registry, UsagePeriod.class);
        int usageId = registry.register("token-usage-value", TokenUsage.getClassSchema());
        int periodId = registry.register("usage-periods-value", UsagePeriod.getClassSchema());
        Random random = new Random(20240601L);
        int rejected = 0;
        int attempts = 20000;

        for (int attempt = 0; attempt < attempts; attempt++) {
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            boolean period = attempt % 2 == 0;
            byte[] bytes = withHeader(period ? periodId : usageId, body);
            try {
                if (period) {
                    periodSerde.deserialize("usage-periods", bytes);
                } else {
                    usageSerde.deserialize(USAGE_TOPIC, bytes);
                }
            } catch (WireFormatException e) {
                rejected++;
            } catch (Throwable e) {
                fail("Attempt " + attempt + " with body " + Arrays.toString(body) + " threw " + e, e);
            }
        }

        assertTrue(rejected > attempts * 9 / 10, rejected + " of " + attempts + " rejected");
    }

    @Test
    void shouldThrowOnlyWireFormatExceptionForMutatedValues() {
        AvroSerde<UsagePeriod> periodSerde = new AvroSerde<>(registry, UsagePeriod.class);
        byte[] validUsage = usageSerde.serialize(USAGE_TOPIC, usage());
        byte[] validPeriod = periodSerde.serialize("usage-periods",
            period(Map.of("gpt-4o", new ModelUsage(1L, 2L, 3L, 5L, 0L, 0L)), List.of(50, 80)));
        Random random = new Random(20240602L);
        int rejected = 0;
        int attempts = 20000;

        for (int attempt = 0; attempt < attempts; attempt++) {
            boolean period = attempt % 2 == 0;
            byte[] bytes = (period ? validPeriod : validUsage).clone();
            int mutations = 1 + random.nextInt(3);
            for (int mutation = 0; mutation < mutations; mutation++) {
                int position = AvroSerde.HEADER_SIZE + random.nextInt(bytes.length - AvroSerde.HEADER_SIZE);
                bytes[position] = (byte) random.nextInt(256);
            }
            try {
                if (period) {
                    periodSerde.deserialize("usage-periods", bytes);
                } else {
                    usageSerde.deserialize(USAGE_TOPIC, bytes);
                }
            } catch (WireFormatException e) {
                rejected++;
            } catch (Throwable e) {
                fail("Attempt " + attempt + " with value " + Arrays.toString(bytes) + " threw " + e, e);
            }
        }

        // Many mutations only change a character or a number, so a good share still decodes.
        assertTrue(rejected > attempts / 10, rejected + " of " + attempts + " rejected");
    }

    @Test
    void shouldDecodeValueWrittenWithOlderSchema() throws IOException {
        // TokenUsage before provider and app existed: the current schema gives them defaults.
        Schema older = new Schema.Parser().parse("""
            {"type": "record", "name": "TokenUsage", "namespace": "io.tokenmonitor.schema", "fields": [
              {"name": "requestId", "type": "string"},
              {"name": "userId", "type": "string"},
              {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "model", "type": "string"},
              {"name": "promptTokens", "type": "long"},
              {"name": "completionTokens", "type": "long"},
              {"name": "totalTokens", "type": "long"},
              {"name": "tokenSource", "type": {"type": "enum", "name": "TokenSource",
                "symbols": ["REPORTED", "ESTIMATED"], "default": "ESTIMATED"}}
            ]}""");
        int olderId = registry.register("token-usage-value", older);
        GenericRecord value = new GenericData.Record(older);
        value.put("requestId", "req-old");
        value.put("userId", "user-1");
        value.put("timestamp", EVENT_TIME.toEpochMilli());
        value.put("model", "gpt-4o");
        value.put("promptTokens", 5L);
        value.put("completionTokens", 6L);
        value.put("totalTokens", 11L);
        value.put("tokenSource", new GenericData.EnumSymbol(older.getField("tokenSource").schema(), "ESTIMATED"));

        TokenUsage decoded = usageSerde.deserialize(USAGE_TOPIC, withHeader(olderId, genericBinary(older, value)));

        assertEquals("req-old", decoded.getRequestId());
        assertEquals(EVENT_TIME, decoded.getTimestamp());
        assertEquals("auto", decoded.getProvider());
        assertNull(decoded.getApp());
        assertEquals(11L, decoded.getTotalTokens());
        assertEquals(TokenSource.ESTIMATED, decoded.getTokenSource());
        // The current schema is a new version under the same subject, because it is backward compatible.
        int currentId = registry.register("token-usage-value", TokenUsage.getClassSchema());
        assertEquals(List.of(1, 2), registry.versions("token-usage-value"));
        assertEquals(currentId, registry.latestVersion("token-usage-value").id());
    }

    @Test
    void shouldDecodeValueWrittenWithNewerSchema() throws IOException {
        Schema newer = new Schema.Parser().parse(TokenUsage.getClassSchema().toString()
            .replace("\"fields\":[", "\"fields\":[{\"name\":\"region\",\"type\":\"string\",\"default\":\"eu\"},"));
        int newerId = registry.register("token-usage-value", newer);
        GenericRecord value = new GenericData.Record(newer);
        value.put("region", "us-east");
        value.put("requestId", "req-new");
        value.put("userId", "user-1");
        value.put("timestamp", EVENT_TIME.toEpochMilli());
        value.put("model", "gpt-4o");
        value.put("provider", "groq");
        value.put("app", "web");
        value.put("promptTokens", 1L);
        value.put("completionTokens", 2L);
        value.put("totalTokens", 3L);
        value.put("tokenSource", new GenericData.EnumSymbol(newer.getField("tokenSource").schema(), "REPORTED"));
        value.put("period", "2026-12-01");
        value.put("estimator", "o200k_base");
        value.put("costMicros", 1234L);

        TokenUsage decoded = usageSerde.deserialize(USAGE_TOPIC, withHeader(newerId, genericBinary(newer, value)));

        assertEquals("req-new", decoded.getRequestId());
        assertEquals("groq", decoded.getProvider());
        assertEquals("web", decoded.getApp());
        assertEquals(3L, decoded.getTotalTokens());
    }

    @Test
    void shouldRejectValueOfIncompatibleWriterSchema() throws IOException {
        Schema unrelated = new Schema.Parser().parse("""
            {"type": "record", "name": "TokenUsage", "namespace": "io.tokenmonitor.schema",
             "fields": [{"name": "somethingElse", "type": "int"}]}""");
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        int id = registry.register("other-value", unrelated);
        GenericRecord value = new GenericData.Record(unrelated);
        value.put("somethingElse", 1);

        assertThrows(WireFormatException.class,
            () -> usageSerde.deserialize(USAGE_TOPIC, withHeader(id, genericBinary(unrelated, value))));
    }

    private static TokenUsage usage() {
        return TokenUsage.newBuilder()
            .setRequestId("req-1")
            .setUserId("user-7")
            .setTimestamp(EVENT_TIME)
            .setModel("meta-llama/Meta-Llama-3-70B-Instruct")
            .setProvider("together")
            .setApp(null)
            .setPromptTokens(12L)
            .setCompletionTokens(30L)
            .setTotalTokens(42L)
            .setTokenSource(TokenSource.REPORTED)
            .build();
    }

    private static TokenRequest request() {
        return TokenRequest.newBuilder()
            .setRequestId("req-2")
            .setUserId("user-7")
            .setTimestamp(EVENT_TIME)
            .setModel("gpt-4o")
            .setProvider("auto")
            .setPromptText("Hello")
            .setCompletionText(null)
            .setReportedPromptTokens(3L)
            .setReportedCompletionTokens(null)
            .setApp("cli")
            .build();
    }

    private static UsagePeriod period(Map<String, ModelUsage> byModel,
                                      List<Integer> alertedThresholds) {
        return UsagePeriod.newBuilder()
            .setUserId("user-7")
            .setPeriod("2024-04")
            .setPeriodStart(Instant.parse("2024-04-01T00:00:00Z"))
            .setPeriodEnd(Instant.parse("2024-05-01T00:00:00Z"))
            .setRequests(1)
            .setPromptTokens(2)
            .setCompletionTokens(3)
            .setTotalTokens(5)
            .setLimit(1000)
            .setByModel(byModel)
            .setAlertedThresholds(alertedThresholds)
            .setLastEventTime(EVENT_TIME)
            .build();
    }

    /** Encodes a generic record with Avro's own writer, independently of AvroSerde. */
    private static byte[] genericBinary(Schema schema, GenericRecord value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] rawBinary(EncoderSteps steps) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        steps.write(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Writes the fields of UsagePeriod that come before byModel. */
    private static void writePeriodScalars(BinaryEncoder encoder) throws IOException {
        encoder.writeString("u");
        encoder.writeString("2024-04");
        for (int field = 0; field < 7; field++) {
            encoder.writeLong(0);
        }
    }

    private static byte[] withHeader(int schemaId, byte[] body) {
        byte[] bytes = new byte[AvroSerde.HEADER_SIZE + body.length];
        bytes[0] = AvroSerde.MAGIC_BYTE;
        bytes[1] = (byte) (schemaId >>> 24);
        bytes[2] = (byte) (schemaId >>> 16);
        bytes[3] = (byte) (schemaId >>> 8);
        bytes[4] = (byte) schemaId;
        System.arraycopy(body, 0, bytes, AvroSerde.HEADER_SIZE, body.length);
        return bytes;
    }

    @FunctionalInterface
    private interface EncoderSteps {
        void write(BinaryEncoder encoder) throws IOException;
    }
}
