package io.tokenmonitor.agent.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two file formats that {@code replay} reads, detected from the first non-blank character. */
public enum InputFormat {

    /**
     * A JSON array of objects with the fields {@code instruction}, {@code output} and {@code generator},
     * as published with the AlpacaEval benchmark. The file starts with {@code [}.
     */
    JSON_ARRAY,

    /**
     * One JSON object per line with the field names of the TokenRequest Avro record. Any file that does
     * not start with {@code [} is read as JSON Lines.
     */
    JSON_LINES;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** Detects the format of a UTF-8 file from its first character that is not whitespace. */
    public static InputFormat detect(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            while ((c = reader.read()) != -1) {
                if (c == BYTE_ORDER_MARK || Character.isWhitespace(c)) {
                    continue;
                }
                return c == '[' ? JSON_ARRAY : JSON_LINES;
            }
        }
        return JSON_LINES;
    }
}
