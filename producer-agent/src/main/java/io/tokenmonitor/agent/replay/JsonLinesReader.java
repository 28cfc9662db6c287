package io.tokenmonitor.agent.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads JSON Lines, one TokenRequest-shaped object per line, with the Avro field names. Blank lines are
 * ignored. A line is skipped and reported when it is not a JSON object, lacks {@code model}, or has a
 * field of the wrong type; reading continues with the next line. Unknown fields are ignored. Missing
 * optional fields stay null, and values such as a blank user id or negative token counts are kept as
 * they are, for the processor to validate.
 */
final class JsonLinesReader implements RecordReader {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final BufferedReader reader;
    private final ObjectMapper mapper;
    private final InvalidRecordListener listener;
    private long lineNumber;
    private long skipped;

    JsonLinesReader(BufferedReader reader, ObjectMapper mapper, InvalidRecordListener listener) {
        this.reader = reader;
        this.mapper = mapper;
        this.listener = listener;
    }

    @Override
    public ReplayRecord next() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }

            ReplayRecord record = parseLine(line);
            if (record != null) {
                return record;
            }
        }
        return null;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private ReplayRecord parseLine(String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            return skip("invalid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            return skip("line is a " + node.getNodeType().name().toLowerCase() + ", expected a JSON object");
        }

        JsonFields fields = new JsonFields(node);
        try {
            String model = fields.text("model");
            if (model == null) {
                return skip("missing model");
            }
            return new ReplayRecord(
                lineNumber,
                fields.text("requestId"),
                fields.text("userId"),
                fields.instant("timestamp"),
                model,
                fields.text("provider"),
                fields.text("promptText"),
                fields.text("completionText"),
                fields.integer("reportedPromptTokens"),
                fields.integer("reportedCompletionTokens"),
                fields.integer("reportedTotalTokens"),
                fields.text("app"));
        } catch (JsonFields.InvalidFieldException e) {
            return skip(e.getMessage());
        }
    }

    private ReplayRecord skip(String reason) {
        skipped++;
        listener.onInvalidRecord("line " + lineNumber, reason);
        return null;
    }
}
