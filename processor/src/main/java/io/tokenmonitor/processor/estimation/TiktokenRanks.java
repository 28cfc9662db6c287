package io.tokenmonitor.processor.estimation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Reads tiktoken-format ranks files: one {@code <base64 token> <rank>} pair per line. */
final class TiktokenRanks {

    private static final int BYTE_VALUES = 256;

    private TiktokenRanks() {
    }

    /**
     * Reads and validates a ranks file. Blank lines are skipped.
     *
     * @param expectedCount the number of ranks the file must contain, or empty to accept any number
     * @return the ranks keyed by token bytes, in file order, as jtokkit's {@code GptBytePairEncodingParams} takes
     *     them
     * @throws IllegalArgumentException naming the file and line if a line is malformed, a token or rank repeats,
     *     a single-byte token is missing (so some text could not be encoded), or the count differs
     * @throws IOException if the file cannot be read
     */
    static Map<byte[], Integer> read(Path file, OptionalInt expectedCount) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString(), expectedCount);
        }
    }

    /**
     * Reads and validates ranks from a reader, which stays open, as {@link #read(Path, OptionalInt)} does.
     *
     * @param file the file or resource name that error messages contain
     */
    static Map<byte[], Integer> read(BufferedReader reader, String file, OptionalInt expectedCount)
        throws IOException {
        Map<byte[], Integer> ranks = new LinkedHashMap<>();
        Map<Integer, Integer> lineByRank = new HashMap<>();
        Map<String, Integer> lineByToken = new HashMap<>();
        boolean[] singleBytes = new boolean[BYTE_VALUES];

        int lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (parts.length != 2) {
                throw invalid(file, lineNumber, "expected '<base64 token> <rank>'");
            }

            byte[] token = decodeToken(file, lineNumber, parts[0]);
            int rank = parseRank(file, lineNumber, parts[1]);
            Integer earlierRankLine = lineByRank.putIfAbsent(rank, lineNumber);
            if (earlierRankLine != null) {
                throw invalid(file, lineNumber, "rank " + rank + " already appeared on line " + earlierRankLine);
            }
            Integer earlierTokenLine = lineByToken.putIfAbsent(parts[0], lineNumber);
            if (earlierTokenLine != null) {
                throw invalid(file, lineNumber, "token already appeared on line " + earlierTokenLine);
            }

            if (token.length == 1) {
                singleBytes[token[0] & 0xFF] = true;
            }
            ranks.put(token, rank);
        }

        validateSingleBytes(file, singleBytes);
        if (expectedCount.isPresent() && ranks.size() != expectedCount.getAsInt()) {
            throw new IllegalArgumentException("Invalid tokenizer file " + file + ": expected "
                + expectedCount.getAsInt() + " ranks but found " + ranks.size()
                + "; check that the file belongs to this tokenizer");
        }
        return ranks;
    }

    private static byte[] decodeToken(String file, int lineNumber, String base64) {
        byte[] token;
        try {
            token = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid(file, lineNumber, "the token is not valid base64");
        }
        if (token.length == 0) {
            throw invalid(file, lineNumber, "the token is empty");
        }
        return token;
    }

    private static int parseRank(String file, int lineNumber, String text) {
        int rank;
        try {
            rank = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(file, lineNumber, "rank '" + text + "' is not an integer");
        }
        if (rank < 0) {
            throw invalid(file, lineNumber, "rank " + rank + " is negative");
        }
        return rank;
    }

    /** Rejects the file unless every byte has a rank of its own, because byte-pair merging starts from bytes. */
    private static void validateSingleBytes(String file, boolean[] singleBytes) {
        for (int value = 0; value < BYTE_VALUES; value++) {
            if (!singleBytes[value]) {
                throw new IllegalArgumentException("Invalid tokenizer file " + file + ": no rank for the single byte "
                    + value + "; a byte-level tokenizer needs all 256");
            }
        }
    }

    private static IllegalArgumentException invalid(String file, int lineNumber, String problem) {
        return new IllegalArgumentException("Invalid tokenizer file " + file + " line " + lineNumber + ": " + problem);
    }
}
