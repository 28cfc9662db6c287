package io.tokenmonitor.agent.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the objects of a JSON array of benchmark outputs, one element at a time: {@code instruction}
 * becomes the prompt text, {@code output} the completion text and {@code generator} the model. Other
 * fields are ignored. Elements without a generator, or that are not objects, are skipped.
 */
final class JsonArrayReader implements RecordReader {

    private final JsonParser parser;
    private final ObjectMapper mapper;
    private final InvalidRecordListener listener;
    private long nextIndex;
    private long skipped;
    private boolean ended;

    /**
     * Starts reading the array. {@link #close()} closes the stream.
     *
     * @throws ReplayInputException if the input does not start with a JSON array
     */
    JsonArrayReader(InputStream input, ObjectMapper mapper, InvalidRecordListener listener) throws IOException {
        this.mapper = mapper;
        this.listener = listener;
        this.parser = mapper.getFactory().createParser(input);
        JsonToken first = nextToken();
        if (first != JsonToken.START_ARRAY) {
            parser.close();
            throw new ReplayInputException("Expected a JSON array at line 1, found " + first);
        }
    }

    @Override
    public ReplayRecord next() throws IOException {
        while (!ended) {
            JsonToken token = nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                ended = true;
                if (token == null) {
                    throw new ReplayInputException("The JSON array is not closed: the input ends after element "
                        + nextIndex);
                }
                return null;
            }

            long index = nextIndex++;
            long line = parser.currentTokenLocation().getLineNr();
            JsonNode element = readElement(index);
            String location = "element " + index + " (line " + line + ")";
            if (!element.isObject()) {
                skip(location, "element is a " + element.getNodeType().name().toLowerCase() + ", expected an object");
                continue;
            }

            ReplayRecord record = toRecord(index, element, location);
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
        parser.close();
    }

    private ReplayRecord toRecord(long index, JsonNode element, String location) {
        JsonFields fields = new JsonFields(element);
        try {
            String model = fields.text("generator");
            if (model == null) {
                skip(location, "missing generator (the model id)");
                return null;
            }
            return new ReplayRecord(index, null, null, null, model, null,
                fields.text("instruction"), fields.text("output"), null, null, null, null);
        } catch (JsonFields.InvalidFieldException e) {
            skip(location, e.getMessage());
            return null;
        }
    }

    private void skip(String location, String reason) {
        skipped++;
        listener.onInvalidRecord(location, reason);
    }

    private JsonNode readElement(long index) throws IOException {
        try {
            return mapper.readTree(parser);
        } catch (JsonProcessingException e) {
            throw syntaxError("element " + index, e);
        }
    }

    private JsonToken nextToken() throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw syntaxError("after element " + nextIndex, e);
        }
    }

    private static ReplayInputException syntaxError(String where, JsonProcessingException e) {
        var location = e.getLocation();
        String position = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new ReplayInputException("Invalid JSON " + where + position + ": " + e.getOriginalMessage(), e);
    }
}
