package io.tokenmonitor.serde;

import io.tokenmonitor.registry.SchemaNotFoundException;
import io.tokenmonitor.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for generated Avro records in the Confluent wire format: byte 0, the schema id as a 4-byte
 * big-endian integer, then the Avro binary encoding of the value.
 *
 * <p>The serializer registers the record's schema under the subject {@code <topic>-value} on first use
 * per topic. The deserializer reads with the writer schema fetched by id and resolves it to the record's
 * own schema, so values written with an older or newer compatible schema decode. Ids and schemas are
 * cached for the life of the serde. A null value stays null (a tombstone).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    public static final byte MAGIC_BYTE = 0;

    /** Magic byte plus the 4-byte schema id. */
    public static final int HEADER_SIZE = 5;

    private final SchemaRegistryClient registry;
    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> schemaIdByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readerBySchemaId = new ConcurrentHashMap<>();

    public AvroSerde(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
        TrustedAvroClasses.trustNamedTypesOf(readerSchema);
    }

    /** Returns the registry subject of a topic's values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    /**
     * Encodes a record, registering its schema for the topic first if this serde has not done so.
     *
     * @throws io.tokenmonitor.registry.SchemaRegistryException if the registry rejects the schema or cannot
     *     be reached
     * @throws SerializationException if the record does not encode
     */
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int schemaId = schemaIdByTopic.computeIfAbsent(topic,
            name -> registry.register(valueSubject(name), readerSchema));

        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Failed to encode " + type.getSimpleName() + " for topic " + topic, e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a wire-format value.
     *
     * @throws WireFormatException if the bytes are not a valid wire-format value of a compatible schema
     * @throws UnknownSchemaException if the schema id is not registered
     */
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_SIZE) {
            throw new WireFormatException("Value of " + bytes.length + " bytes is shorter than the "
                + HEADER_SIZE + "-byte wire-format header");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new WireFormatException("Unknown magic byte " + (bytes[0] & 0xff) + ", expected 0");
        }
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<T> reader = readerFor(schemaId);

        // Over a byte array, Avro 1.12's decoder checks each claimed string or bytes length against the bytes
        // left before allocating, so a garbage length fails fast instead of exhausting the heap.
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_SIZE, bytes.length - HEADER_SIZE, null);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException("Value has bytes left over after the " + type.getSimpleName()
                    + " record with schema id " + schemaId);
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
                 | NegativeArraySizeException | ClassCastException | UnsupportedOperationException e) {
            // Avro throws UnsupportedOperationException for a string, bytes or collection length above
            // the JVM's array size limit, which garbage input can claim.
            throw new WireFormatException("Value does not decode as " + type.getSimpleName()
                + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
    }

    private SpecificDatumReader<T> readerFor(int schemaId) {
        SpecificDatumReader<T> cached = readerBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new UnknownSchemaException(schemaId, e);
        }
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        readerBySchemaId.put(schemaId, reader);
        return reader;
    }
}
