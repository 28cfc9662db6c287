package io.tokenmonitor.processor.estimation;

import java.util.Arrays;
import java.util.Map;

/**
 * Byte-pair-encoding ranks: token bytes to rank, in an open-addressing hash table. All token bytes sit in one
 * byte array, and each slot stores the token's hash, so a lookup of a byte range creates no objects and compares
 * bytes only when the hashes match. Immutable and thread-safe.
 */
final class RankTable {

    /** Returned by {@link #rank} for bytes that are not a token. Larger than every rank. */
    static final int NO_RANK = Integer.MAX_VALUE;

    private static final int EMPTY_SLOT = -1;

    private final byte[] tokenBytes;
    private final int[] tokenOffsets;
    private final int[] tokenLengths;
    private final int[] tokenRanks;
    private final int[] slotHashes;
    private final int[] slotTokens;
    private final int slotMask;
    private final int maxTokenLength;

    private RankTable(byte[] tokenBytes, int[] tokenOffsets, int[] tokenLengths, int[] tokenRanks) {
        this.tokenBytes = tokenBytes;
        this.tokenOffsets = tokenOffsets;
        this.tokenLengths = tokenLengths;
        this.tokenRanks = tokenRanks;

        int tokenCount = tokenRanks.length;
        // At most half the slots are used, which keeps probe sequences short.
        int slotCount = Integer.highestOneBit(Math.max(2, tokenCount) * 2 - 1) << 1;
        slotMask = slotCount - 1;
        slotHashes = new int[slotCount];
        slotTokens = new int[slotCount];
        Arrays.fill(slotTokens, EMPTY_SLOT);

        int longest = 0;
        for (int token = 0; token < tokenCount; token++) {
            insert(token);
            longest = Math.max(longest, tokenLengths[token]);
        }
        maxTokenLength = longest;
    }

    /**
     * Builds a table from ranks keyed by token bytes.
     *
     * @throws IllegalArgumentException if a token is empty, a rank is negative or equals {@link #NO_RANK}, or
     *     two keys contain the same bytes
     */
    static RankTable of(Map<byte[], Integer> ranks) {
        int tokenCount = ranks.size();
        long totalBytes = 0;
        for (byte[] token : ranks.keySet()) {
            totalBytes += token.length;
        }
        if (totalBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Invalid ranks: " + totalBytes + " bytes of tokens exceed one array");
        }

        byte[] bytes = new byte[(int) totalBytes];
        int[] offsets = new int[tokenCount];
        int[] lengths = new int[tokenCount];
        int[] rankValues = new int[tokenCount];
        int token = 0;
        int offset = 0;
        for (Map.Entry<byte[], Integer> entry : ranks.entrySet()) {
            byte[] key = entry.getKey();
            int rank = entry.getValue();
            if (key.length == 0) {
                throw new IllegalArgumentException("Invalid ranks: empty token with rank " + rank);
            }
            if (rank < 0 || rank == NO_RANK) {
                throw new IllegalArgumentException("Invalid ranks: rank " + rank + " is out of range");
            }
            System.arraycopy(key, 0, bytes, offset, key.length);
            offsets[token] = offset;
            lengths[token] = key.length;
            rankValues[token] = rank;
            offset += key.length;
            token++;
        }
        return new RankTable(bytes, offsets, lengths, rankValues);
    }

    /** Returns the number of tokens. */
    int size() {
        return tokenRanks.length;
    }

    /** Returns the length in bytes of the longest token. */
    int maxTokenLength() {
        return maxTokenLength;
    }

    /** Returns the rank of {@code bytes[offset, offset + length)}, or {@link #NO_RANK} if it is not a token. */
    int rank(byte[] bytes, int offset, int length) {
        if (length > maxTokenLength) {
            return NO_RANK;
        }
        int hash = hash(bytes, offset, length);
        int slot = hash & slotMask;
        while (true) {
            int token = slotTokens[slot];
            if (token == EMPTY_SLOT) {
                return NO_RANK;
            }
            if (slotHashes[slot] == hash && tokenEquals(token, bytes, offset, length)) {
                return tokenRanks[token];
            }
            slot = (slot + 1) & slotMask;
        }
    }

    private void insert(int token) {
        int offset = tokenOffsets[token];
        int length = tokenLengths[token];
        int hash = hash(tokenBytes, offset, length);
        int slot = hash & slotMask;
        while (slotTokens[slot] != EMPTY_SLOT) {
            if (slotHashes[slot] == hash && tokenEquals(slotTokens[slot], tokenBytes, offset, length)) {
                throw new IllegalArgumentException("Invalid ranks: the token with rank " + tokenRanks[token]
                    + " has the same bytes as the token with rank " + tokenRanks[slotTokens[slot]]);
            }
            slot = (slot + 1) & slotMask;
        }
        slotHashes[slot] = hash;
        slotTokens[slot] = token;
    }

    private boolean tokenEquals(int token, byte[] bytes, int offset, int length) {
        if (tokenLengths[token] != length) {
            return false;
        }
        int tokenOffset = tokenOffsets[token];
        for (int i = 0; i < length; i++) {
            if (tokenBytes[tokenOffset + i] != bytes[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hashes a byte range. The loop is a multiplicative hash, whose low bits depend only on the low bits of the
     * bytes, so the final mix folds the high bits down before the low bits pick the slot.
     */
    private static int hash(byte[] bytes, int offset, int length) {
        int hash = length;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            hash = (hash + (bytes[i] & 0xFF)) * 0x9E3779B1;
        }
        hash ^= hash >>> 16;
        hash *= 0x85EBCA6B;
        return hash ^ (hash >>> 13);
    }
}
