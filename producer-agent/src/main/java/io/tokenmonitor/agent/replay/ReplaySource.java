package io.tokenmonitor.agent.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.send.RequestSource;
import io.tokenmonitor.schema.TokenRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a replay file as TokenRequests, streaming it record by record. The format is detected from the
 * content (see {@link InputFormat}).
 *
 * <p>For each valid record, in file order:
 * <ul>
 *   <li>userId: {@code user-(n mod users + 1)} for the n-th valid record when {@code users > 0};
 *       otherwise {@code user-1} for a JSON array and the line's own user id for JSON Lines. A line
 *       without a user id gets the empty string, which the processor rejects to its dead-letter topic.
 *   <li>requestId: the line's own id if it has one, otherwise {@link RequestIds#forRecord} of the file
 *       name and the record's {@link ReplayRecord#index()}.
 *   <li>timestamp: spread over the options' time range if there is one; otherwise the line's own
 *       timestamp for JSON Lines, or the current time.
 *   <li>provider {@code auto} and app {@value #JSON_ARRAY_APP} for JSON arrays; for JSON Lines the
 *       line's values, with provider {@code auto} when missing.
 * </ul>
 * A time range needs the number of valid records up front, so the file is then read twice.
 */
public final class ReplaySource implements RequestSource {

    /** The app name given to records replayed from a JSON array of benchmark outputs. */
    public static final String JSON_ARRAY_APP = "alpaca-eval-replay";

    private static final String DEFAULT_PROVIDER = "auto";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final String fileName;
    private final InputFormat format;
    private final ReplayOptions options;
    private final RecordReader reader;
    private final long recordCount;
    private ReplayRecord pending;
    private boolean ended;
    private long produced;

    private ReplaySource(Path file, InputFormat format, ReplayOptions options, RecordReader reader, long recordCount) {
        this.file = file;
        this.fileName = file.getFileName().toString();
        this.format = format;
        this.options = options;
        this.reader = reader;
        this.recordCount = recordCount;
    }

    /**
     * Opens a replay file.
     *
     * @param listener receives every skipped invalid record, once
     * @throws ReplayInputException if counting records for a time range hits malformed input
     * @throws IOException if the file cannot be read
     */
    public static ReplaySource open(Path file, ReplayOptions options, InvalidRecordListener listener)
        throws IOException {
        InputFormat format = InputFormat.detect(file);
        long recordCount = -1;
        if (options.range() != null) {
            recordCount = countValidRecords(file, format);
        }
        return new ReplaySource(file, format, options, openReader(file, format, listener), recordCount);
    }

    /** Reads a whole replay file into a list, for tests and small files. */
    public static List<TokenRequest> readAll(Path file, ReplayOptions options, InvalidRecordListener listener)
        throws IOException {
        List<TokenRequest> requests = new ArrayList<>();
        try (ReplaySource source = open(file, options, listener)) {
            while (source.hasNext()) {
                requests.add(source.next());
            }
        }
        return requests;
    }

    public InputFormat format() {
        return format;
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean hasNext() throws IOException {
        if (pending == null && !ended) {
            pending = reader.next();
            ended = pending == null;
        }
        return pending != null;
    }

    /** Takes the next record as a request; its timestamp is the current time unless set otherwise. */
    @Override
    public TokenRequest next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException("No more records in " + fileName);
        }
        ReplayRecord record = pending;
        pending = null;
        long ordinal = produced++;
        return TokenRequest.newBuilder()
            .setRequestId(record.requestId() != null ? record.requestId() : RequestIds.forRecord(fileName, record.index()))
            .setUserId(userIdOf(record, ordinal))
            .setTimestamp(timestampOf(record, ordinal))
            .setModel(record.model())
            .setProvider(record.provider() != null ? record.provider() : DEFAULT_PROVIDER)
            .setPromptText(record.promptText())
            .setCompletionText(record.completionText())
            .setReportedPromptTokens(record.reportedPromptTokens())
            .setReportedCompletionTokens(record.reportedCompletionTokens())
            .setReportedTotalTokens(record.reportedTotalTokens())
            .setApp(format == InputFormat.JSON_ARRAY ? JSON_ARRAY_APP : record.app())
            .build();
    }

    @Override
    public long skipped() {
        return reader.skipped();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private String userIdOf(ReplayRecord record, long ordinal) {
        if (options.users() > 0) {
            return "user-" + (ordinal % options.users() + 1);
        }
        if (format == InputFormat.JSON_ARRAY) {
            return "user-1";
        }
        // The Avro field cannot be null; an empty id keeps the record sendable so the processor can
        // dead-letter it.
        return record.userId() != null ? record.userId() : "";
    }

    private Instant timestampOf(ReplayRecord record, long ordinal) throws ReplayInputException {
        if (options.range() != null) {
            if (ordinal >= recordCount) {
                throw new ReplayInputException("File " + fileName + " has more records than the " + recordCount
                    + " counted before the replay; it changed while being read");
            }
            return options.range().instantAt(ordinal, recordCount);
        }
        if (record.timestamp() != null) {
            return record.timestamp();
        }
        return options.clock().instant();
    }

    private static long countValidRecords(Path file, InputFormat format) throws IOException {
        long count = 0;
        try (RecordReader counter = openReader(file, format, InvalidRecordListener.ignore())) {
            while (counter.next() != null) {
                count++;
            }
        }
        return count;
    }

    private static RecordReader openReader(Path file, InputFormat format, InvalidRecordListener listener)
        throws IOException {
        if (format == InputFormat.JSON_ARRAY) {
            InputStream input = Files.newInputStream(file);
            try {
                return new JsonArrayReader(input, MAPPER, listener);
            } catch (IOException | RuntimeException e) {
                input.close();
                throw e;
            }
        }
        // A reader built from a Charset replaces malformed bytes with U+FFFD instead of failing, so one
        // badly encoded line does not end the replay.
        BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        return new JsonLinesReader(lines, MAPPER, listener);
    }
}
