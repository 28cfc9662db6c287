package io.tokenmonitor.agent.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
        // Lenient decoding: a binary file is then read as JSON Lines and each bad line is reported, instead of
        // failing here with a MalformedInputException that names neither file nor line.
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
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
