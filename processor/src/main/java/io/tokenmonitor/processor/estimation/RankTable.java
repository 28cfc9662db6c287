package io.tokenmonitor.processor.estimation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * Byte-pair-encoding ranks, from token bytes to rank, in an open-addressing hash table. Each slot is two longs,
 * the token's first eight bytes and then its rank and length. So a lookup of a byte range creates no objects, and
 * for a token of up to eight bytes it reads one cache line of the table. Longer tokens also compare their other
 * bytes in one shared byte array. Two-byte tokens are kept in a direct table of 65,536 ranks as well, because
 * merging starts from every pair of bytes. Immutable and thread-safe.
 */
final class RankTable {

    /** Returned by {@link #rank} for bytes that are not a token. Larger than every rank. */
    static final int NO_RANK = Integer.MAX_VALUE;

    private static final VarHandle LITTLE_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int HEAD_BYTES = 8;

    /**
     * Two longs per slot. The one at 2 * slot is the first eight bytes, little-endian and padded with zeros. The
     * one at 2 * slot + 1 is {@code rank << 32 | length}, where length 0 marks an empty slot.
     */
    private final long[] slots;
    /** Per slot: the offset of the whole token in {@link #tokenBytes}, read only for tokens over eight bytes. */
    private final int[] tokenOffsets;
    private final byte[] tokenBytes;
    private final int slotMask;
    private final int[] twoByteRanks = new int[1 << 16];
    private final int maxTokenLength;
    private final int size;

    private RankTable(byte[] tokenBytes, int[] offsets, int[] lengths, int[] ranks) {
        this.tokenBytes = tokenBytes;
        size = ranks.length;
        // At most half the slots are used, which keeps probe sequences short.
        int slotCount = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1;
        slotMask = slotCount - 1;
        slots = new long[2 * slotCount];
        tokenOffsets = new int[slotCount];
        Arrays.fill(twoByteRanks, NO_RANK);

        int longest = 0;
        for (int token = 0; token < size; token++) {
            insert(offsets[token], lengths[token], ranks[token]);
            longest = Math.max(longest, lengths[token]);
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
        return size;
    }

    /** Returns the length in bytes of the longest token. */
    int maxTokenLength() {
        return maxTokenLength;
    }

    /** Returns the rank of {@code bytes[offset, offset + length)}, or {@link #NO_RANK} if it is not a token. */
    int rank(byte[] bytes, int offset, int length) {
        if (length == 2) {
            return twoByteRank(bytes[offset], bytes[offset + 1]);
        }
        if (length > maxTokenLength || length <= 0) {
            return NO_RANK;
        }
        long head = head(bytes, offset, length);
        int slot = hash(head, bytes, offset, length) & slotMask;
        while (true) {
            long rankAndLength = slots[2 * slot + 1];
            int slotLength = (int) rankAndLength;
            if (slotLength == 0) {
                return NO_RANK;
            }
            if (slotLength == length && slots[2 * slot] == head
                && (length <= HEAD_BYTES || tailEquals(tokenOffsets[slot], bytes, offset, length))) {
                return (int) (rankAndLength >>> 32);
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /** Returns the rank of the two bytes, or {@link #NO_RANK} if they are not a token. */
    int twoByteRank(byte first, byte second) {
        return twoByteRanks[((first & 0xFF) << 8) | (second & 0xFF)];
    }

    private void insert(int offset, int length, int rank) {
        long head = head(tokenBytes, offset, length);
        int slot = hash(head, tokenBytes, offset, length) & slotMask;
        while (slots[2 * slot + 1] != 0) {
            if ((int) slots[2 * slot + 1] == length && slots[2 * slot] == head
                && (length <= HEAD_BYTES || tailEquals(tokenOffsets[slot], tokenBytes, offset, length))) {
                throw new IllegalArgumentException("Invalid ranks: the token with rank " + rank
                    + " has the same bytes as the token with rank " + (slots[2 * slot + 1] >>> 32));
            }
            slot = (slot + 1) & slotMask;
        }
        slots[2 * slot] = head;
        slots[2 * slot + 1] = ((long) rank << 32) | length;
        tokenOffsets[slot] = offset;
        if (length == 2) {
            twoByteRanks[((tokenBytes[offset] & 0xFF) << 8) | (tokenBytes[offset + 1] & 0xFF)] = rank;
        }
    }

    /** Compares the bytes after the first eight. */
    private boolean tailEquals(int tokenOffset, byte[] bytes, int offset, int length) {
        for (int i = HEAD_BYTES; i < length; i++) {
            if (tokenBytes[tokenOffset + i] != bytes[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Returns the first eight bytes of a range, or fewer padded with zeros, as a little-endian long. */
    private static long head(byte[] bytes, int offset, int length) {
        if (offset + HEAD_BYTES <= bytes.length) {
            long word = (long) LITTLE_ENDIAN_LONG.get(bytes, offset);
            return length >= HEAD_BYTES ? word : word & ((1L << (8 * length)) - 1);
        }
        long word = 0;
        int count = Math.min(length, HEAD_BYTES);
        for (int i = 0; i < count; i++) {
            word |= (long) (bytes[offset + i] & 0xFF) << (8 * i);
        }
        return word;
    }

    /** Hashes a byte range from its head and the bytes after it, with a 64-bit multiply and fold at the end. */
    private static int hash(long head, byte[] bytes, int offset, int length) {
        long hash = (head + length) * 0x9E3779B97F4A7C15L;
        for (int i = HEAD_BYTES; i < length; i++) {
            hash = (hash ^ (bytes[offset + i] & 0xFF)) * 0x100000001B3L;
        }
        hash ^= hash >>> 29;
        hash *= 0xBF58476D1CE4E5B9L;
        return (int) (hash ^ (hash >>> 32));
    }
}
