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
 * The word list lookup of {@link ReferenceContentProfiler}, as {@code CommonWords} was before the
 * single-pass rewrite: an open-addressing table of String hash codes over a pool of chars.
 */
final class ReferenceCommonWords {

    /** Shortest run of ASCII letters that is looked up, the same as MIN_LISTED_WORD_LENGTH in features.mjs. */
    static final int MIN_LENGTH = 4;

    private static final String RESOURCE = "/profile/common-words.txt";

    // Open addressing with linear probing, at most half full. A slot stores the String.hashCode of its word in
    // HASHES and the word's offset in POOL in OFFSETS, or -1 when empty. POOL stores each word as its length
    // followed by its chars, in one array so that a lookup reads no String objects.
    private static final int[] HASHES;
    private static final int[] OFFSETS;
    private static final char[] POOL;
    private static final int MASK;

    static {
        List<String> words = readWords();
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

    private ReferenceCommonWords() {
    }

    /** Returns whether the chars {@code start} to {@code start + length - 1} are a word in the list. */
    static boolean contains(char[] text, int start, int length) {
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + text[i];
        }
        for (int slot = mix(hash) & MASK; OFFSETS[slot] >= 0; slot = (slot + 1) & MASK) {
            if (HASHES[slot] == hash && matches(text, start, length, OFFSETS[slot])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(char[] text, int start, int length, int offset) {
        if (POOL[offset] != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (POOL[offset + 1 + i] != text[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static List<String> readWords() {
        InputStream stream = ReferenceCommonWords.class.getResourceAsStream(RESOURCE);
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
