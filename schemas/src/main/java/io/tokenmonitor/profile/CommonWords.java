package io.tokenmonitor.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The word list behind {@link ContentProfile#unlistedWords()}: the resource {@code profile/common-words.txt},
 * which {@code tools/calibration/word-list.mjs} extracts from the Mistral v1 vocabulary. Lookups allocate nothing.
 * A word of at most {@value #MAX_PACKED_LENGTH} letters is looked up by its packed key (see {@link #pack}), which
 * the profiler builds while it scans, so that it reads the letters once. Longer words are looked up by their
 * chars. Words are ASCII and shorter than 65536 chars, so a char stores a length.
 */
final class CommonWords {

    /** Shortest run of ASCII letters that is looked up, the same as MIN_LISTED_WORD_LENGTH in features.mjs. */
    static final int MIN_LENGTH = 4;

    /** Maximum length of a word that {@link #containsPacked} looks up: 10 letters of 6 bits fill 60 bits. */
    static final int MAX_PACKED_LENGTH = 10;

    private static final String RESOURCE = "/profile/common-words.txt";

    // The 6-bit code of each ASCII char: 1 to 26 for A-Z, 27 to 52 for a-z, 0 for every other char. No letter
    // has code 0, so the packed keys of words of different lengths differ.
    private static final byte[] LETTER_CODES = new byte[128];

    // Open addressing with linear probing, at most half full, of the packed keys of the words of at most
    // MAX_PACKED_LENGTH letters. An empty slot stores 0, which is no word's key.
    private static final long[] PACKED_KEYS;
    private static final int PACKED_MASK;

    // Open addressing with linear probing, at most half full. A slot stores the String.hashCode of its word in
    // HASHES and the word's offset in POOL in OFFSETS, or -1 when empty. POOL stores each word as its length
    // followed by its chars, in one array so that a lookup reads no String objects.
    private static final int[] HASHES;
    private static final int[] OFFSETS;
    private static final char[] POOL;
    private static final int MASK;

    static {
        for (int c = 'A'; c <= 'Z'; c++) {
            LETTER_CODES[c] = (byte) (c - 'A' + 1);
            LETTER_CODES[c + ('a' - 'A')] = (byte) (c - 'A' + 27);
        }

        List<String> words = readWords();
        int packedSize = Integer.highestOneBit(Math.max(2, words.size()) * 2) * 2;
        PACKED_KEYS = new long[packedSize];
        PACKED_MASK = packedSize - 1;
        for (String word : words) {
            if (word.length() <= MAX_PACKED_LENGTH) {
                long key = packedKey(word);
                int slot = mixPacked(key) & PACKED_MASK;
                while (PACKED_KEYS[slot] != 0) {
                    slot = (slot + 1) & PACKED_MASK;
                }
                PACKED_KEYS[slot] = key;
            }
        }

        int size = Integer.highestOneBit(Math.max(2, words.size()) * 2) * 2;
        HASHES = new int[size];
        OFFSETS = new int[size];
        Arrays.fill(OFFSETS, -1);
        MASK = size - 1;
        StringBuilder pool = new StringBuilder();
        for (String word : words) {
            int slot = mix(word.hashCode()) & MASK;
            while (OFFSETS[slot] >= 0) {
                slot = (slot + 1) & MASK;
            }
            HASHES[slot] = word.hashCode();
            OFFSETS[slot] = pool.length();
            pool.append((char) word.length()).append(word);
        }
        POOL = pool.toString().toCharArray();
    }

    private CommonWords() {
    }

    /** Returns the 6-bit code of an ASCII letter, 1 to 52, or 0 for any other char below 128. */
    static int letterCode(int asciiChar) {
        return LETTER_CODES[asciiChar];
    }

    /** Returns the key of a run of letters after it grows by one letter of code {@code letterCode}. */
    static long pack(long key, int letterCode) {
        return (key << 6) | letterCode;
    }

    /**
     * Returns whether a run of 1 to {@value #MAX_PACKED_LENGTH} ASCII letters is a word in the list, given its
     * key: {@link #pack} applied to each letter in turn, starting from 0.
     */
    static boolean containsPacked(long key) {
        for (int slot = mixPacked(key) & PACKED_MASK; PACKED_KEYS[slot] != 0; slot = (slot + 1) & PACKED_MASK) {
            if (PACKED_KEYS[slot] == key) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether the chars {@code start} to {@code start + length - 1} of a text are a word in the list. */
    static boolean contains(String text, int start, int length) {
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        for (int slot = mix(hash) & MASK; OFFSETS[slot] >= 0; slot = (slot + 1) & MASK) {
            if (HASHES[slot] == hash && matches(text, start, length, OFFSETS[slot])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String text, int start, int length, int offset) {
        if (POOL[offset] != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (POOL[offset + 1 + i] != text.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    private static long packedKey(String word) {
        long key = 0;
        for (int i = 0; i < word.length(); i++) {
            int code = word.charAt(i) < 128 ? LETTER_CODES[word.charAt(i)] : 0;
            if (code == 0) {
                throw new IllegalStateException("Invalid word list entry, expected only ASCII letters: " + word);
            }
            key = pack(key, code);
        }
        return key;
    }

    // Folds the high bits into the low bits that select the slot, with a multiplier that spreads nearby keys.
    private static int mixPacked(long key) {
        long mixed = key * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 40);
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static List<String> readWords() {
        InputStream stream = CommonWords.class.getResourceAsStream(RESOURCE);
        if (stream == null) {
            throw new IllegalStateException("Resource " + RESOURCE + " not found on the classpath");
        }
        List<String> words = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read resource " + RESOURCE, e);
        }
        return words;
    }
}
