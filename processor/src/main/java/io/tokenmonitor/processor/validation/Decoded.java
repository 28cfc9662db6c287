package io.tokenmonitor.processor.validation;

import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.serde.UnknownSchemaException;
import io.tokenmonitor.serde.WireFormatException;
import org.apache.avro.specific.SpecificRecord;

/**
 * The result of decoding a raw input value: the record, or why it could not be decoded.
 */
public record Decoded<T>(T value, RejectionReason rejection, String error) {

    /** Decodes a wire-format value; a null value is undecodable. */
    public static <T extends SpecificRecord> Decoded<T> decode(AvroSerde<T> serde, String topic, byte[] bytes) {
        if (bytes == null) {
            return new Decoded<>(null, RejectionReason.UNDECODABLE, "Value is null");
        }
        try {
            return new Decoded<>(serde.deserialize(topic, bytes), null, null);
        } catch (UnknownSchemaException e) {
            return new Decoded<>(null, RejectionReason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (WireFormatException e) {
            return new Decoded<>(null, RejectionReason.UNDECODABLE, e.getMessage());
        }
    }

    public boolean isDecoded() {
        return rejection == null;
    }
}
