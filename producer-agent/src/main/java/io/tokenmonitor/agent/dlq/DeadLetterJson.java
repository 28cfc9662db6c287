package io.tokenmonitor.agent.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.topics.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Formats one dead letter as a JSON line: its headers, its coordinates, its key and a short preview of its value.
 * A preview never contains more than {@value #PREVIEW_BYTES} bytes of the value, because dead letters may hold
 * prompt and completion text and may be megabytes long.
 */
final class DeadLetterJson {

    /** Bytes of the value shown in the hex preview. */
    static final int PREVIEW_BYTES = 32;

    /** Maximum key length printed, in UTF-16 code units; a longer key is cut, and {@code keyBytes} gives its size. */
    static final int MAX_KEY_LENGTH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterJson() {
    }

    /** Returns the dead-letter reason of a record, or null when the header is missing. */
    static String reason(ConsumerRecord<byte[], byte[]> record) {
        return header(record, DeadLetterHeaders.REASON);
    }

    /** Returns the time of rejection of a record as written, or null when the header is missing. */
    static String rejectedAt(ConsumerRecord<byte[], byte[]> record) {
        return header(record, DeadLetterHeaders.REJECTED_AT);
    }

    /** Formats a record as one line of JSON without a line break. */
    static String format(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = JSON.createObjectNode();
        line.put("reason", reason(record));
        line.put("error", header(record, DeadLetterHeaders.ERROR));
        line.put("sourceTopic", header(record, DeadLetterHeaders.SOURCE_TOPIC));
        line.put("sourcePartition", asLong(header(record, DeadLetterHeaders.SOURCE_PARTITION)));
        line.put("sourceOffset", asLong(header(record, DeadLetterHeaders.SOURCE_OFFSET)));
        line.put("rejectedAt", rejectedAt(record));
        line.put("partition", record.partition());
        line.put("offset", record.offset());

        byte[] key = record.key();
        if (key == null) {
            line.putNull("key");
        } else {
            String text = decodeUtf8(key);
            line.put("key", text == null ? "hex:" + HexFormat.of().formatHex(key, 0, Math.min(key.length,
                MAX_KEY_LENGTH / 2)) : cut(text, MAX_KEY_LENGTH));
            line.put("keyBytes", key.length);
        }

        byte[] value = record.value();
        if (value == null) {
            line.putNull("valueBytes");
            line.putNull("valuePreview");
        } else {
            line.put("valueBytes", value.length);
            line.put("valuePreview", HexFormat.of().formatHex(value, 0, Math.min(value.length, PREVIEW_BYTES)));
        }
        String truncatedFrom = header(record, DeadLetterHeaders.VALUE_TRUNCATED);
        if (truncatedFrom != null) {
            line.put("valueTruncatedFrom", asLong(truncatedFrom));
        }
        String keyTruncatedFrom = header(record, DeadLetterHeaders.KEY_TRUNCATED);
        if (keyTruncatedFrom != null) {
            line.put("keyTruncatedFrom", asLong(keyTruncatedFrom));
        }
        return line.toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Long asLong(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Returns the bytes as text when they are valid UTF-8, or null. */
    private static String decodeUtf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String cut(String text, int maxLength) {
        return text.length() <= maxLength ? text : text.substring(0, maxLength);
    }
}
