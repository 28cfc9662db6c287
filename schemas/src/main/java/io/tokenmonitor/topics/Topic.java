package io.tokenmonitor.topics;

import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic of the product: its name, paired with the serdes of its keys and values. Keys are always the
 * user id as a plain UTF-8 string.
 *
 * @param name the topic name
 * @param valueType the generated Avro record of its values, or null when values are raw bytes
 * @param compacted whether the topic keeps only the latest value per key
 */
public record Topic<V>(String name, Class<V> valueType, boolean compacted) {

    /** Returns the serde of the topic's keys: user ids as UTF-8 strings. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** Returns the serde of the topic's values, registering schemas with the given registry. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Serde<V> valueSerde(SchemaRegistryClient registry) {
        if (valueType == byte[].class) {
            return (Serde<V>) Serdes.ByteArray();
        }
        return (Serde<V>) new AvroSerde(registry, valueType.asSubclass(SpecificRecord.class));
    }
}
