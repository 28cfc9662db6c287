package io.tokenmonitor.processor.estimation;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the tokens of a text with tiktoken-style byte-pair encoding, without building the tokens. A split
 * pattern cuts the text into pieces, each piece is encoded as UTF-8, and the adjacent pair of parts with the
 * lowest rank is merged, the leftmost on ties, until no pair is a token. The number of parts left is the
 * piece's token count. Special-token strings such as {@code <|endoftext|>} are ordinary text here.
 *
 * <p>Thread-safe. Each thread reuses its own buffers, which grow with the longest piece. A thread drops them after
 * a text once its byte buffer is larger than {@link #MAX_RETAINED_BUFFER_BYTES}.
 */
final class BytePairCounter {

    /** Encodings of a surrogate {@code char} without its partner. */
    enum LoneSurrogates {
        /** As the byte {@code '?'}, like {@link String#getBytes} with UTF-8. */
        QUESTION_MARK,
        /** As the three bytes that UTF-8 would give the surrogate's code unit, as if it were a character. */
        THREE_BYTES
    }

    /**
     * Pieces of at least this many bytes are merged with a heap in O(n log n) steps. Shorter ones are merged with
     * a scan for the lowest rank in each step, which is O(n^2) but faster for short pieces.
     */
    static final int HEAP_MERGE_MIN_BYTES = 128;

    /** The largest byte buffer a thread keeps between texts, enough for pieces of 16,384 chars. */
    static final int MAX_RETAINED_BUFFER_BYTES = 3 * 16_384;

    private final Pattern splitPattern;
    private final PieceSplitter splitter;
    private final RankTable ranks;
    private final LoneSurrogates loneSurrogates;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    /**
     * Creates a counter.
     *
     * @param splitPattern the pre-tokenizer pattern, whose matches are the pieces
     * @param ranks the token ranks, which must contain every single byte
     * @param loneSurrogates how to encode unpaired surrogates
     * @throws IllegalArgumentException if a single byte has no rank
     */
    BytePairCounter(Pattern splitPattern, RankTable ranks, LoneSurrogates loneSurrogates) {
        this(Objects.requireNonNull(splitPattern, "splitPattern"), null, ranks, loneSurrogates);
    }

    /**
     * Creates a counter with a hand-written pre-tokenizer, which must return the same pieces as the split
     * pattern of the ranks' encoding.
     *
     * @throws IllegalArgumentException if a single byte has no rank
     */
    BytePairCounter(PieceSplitter splitter, RankTable ranks, LoneSurrogates loneSurrogates) {
        this(null, Objects.requireNonNull(splitter, "splitter"), ranks, loneSurrogates);
    }

    private BytePairCounter(Pattern splitPattern, PieceSplitter splitter, RankTable ranks,
        LoneSurrogates loneSurrogates) {
        this.splitPattern = splitPattern;
        this.splitter = splitter;
        this.ranks = Objects.requireNonNull(ranks, "ranks");
        this.loneSurrogates = Objects.requireNonNull(loneSurrogates, "loneSurrogates");

        byte[] single = new byte[1];
        for (int value = 0; value < 256; value++) {
            single[0] = (byte) value;
            if (ranks.rank(single, 0, 1) == RankTable.NO_RANK) {
                throw new IllegalArgumentException("Invalid ranks: no rank for the single byte " + value
                    + "; a byte-level tokenizer needs all 256");
            }
        }
    }

    /** Returns the number of tokens of a text, or 0 for a null or empty text. */
    long count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Buffers buffer = buffers.get();
        long tokens = splitter == null ? countRegexPieces(text, buffer) : countSplitterPieces(text, buffer);
        if (buffer.bytes.length > MAX_RETAINED_BUFFER_BYTES) {
            // One huge piece should not pin megabytes of buffers per stream thread.
            buffers.remove();
        }
        return tokens;
    }

    private long countRegexPieces(String text, Buffers buffer) {
        long tokens = 0;
        Matcher matcher = splitPattern.matcher(text);
        while (matcher.find()) {
            tokens += countPiece(text, matcher.start(), matcher.end(), buffer);
        }
        return tokens;
    }

    private long countSplitterPieces(String text, Buffers buffer) {
        long tokens = 0;
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = splitter.pieceEnd(text, start);
            if (end < 0) {
                // No piece starts here, so skip one char as Matcher.find would.
                start++;
                continue;
            }
            tokens += countPiece(text, start, end, buffer);
            start = end;
        }
        return tokens;
    }

    private int countPiece(String text, int start, int end, Buffers buffer) {
        int length = encodeUtf8(text, start, end, buffer);
        byte[] bytes = buffer.bytes;
        if (length <= 1) {
            return length;
        }
        if (ranks.rank(bytes, 0, length) != RankTable.NO_RANK) {
            return 1;
        }
        if (length < HEAP_MERGE_MIN_BYTES) {
            return mergeByScan(bytes, length, buffer);
        }
        return mergeByHeap(bytes, length, buffer);
    }

    /** Encodes {@code text[start, end)} as UTF-8 into {@code buffer.bytes} and returns the number of bytes. */
    private int encodeUtf8(String text, int start, int end, Buffers buffer) {
        // A char takes at most three bytes, and a surrogate pair takes four for its two chars.
        byte[] bytes = buffer.bytesFor((end - start) * 3);
        int length = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                length = putThreeBytes(bytes, length, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                i++;
                bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (loneSurrogates == LoneSurrogates.QUESTION_MARK) {
                bytes[length++] = '?';
            } else {
                length = putThreeBytes(bytes, length, c);
            }
        }
        return length;
    }

    private static int putThreeBytes(byte[] bytes, int length, char c) {
        bytes[length] = (byte) (0xE0 | (c >> 12));
        bytes[length + 1] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[length + 2] = (byte) (0x80 | (c & 0x3F));
        return length + 3;
    }

    /**
     * Merges a piece whose parts are kept as an array of start offsets, scanning all pairs for the lowest rank in
     * each step. Returns the number of parts left.
     */
    private int mergeByScan(byte[] bytes, int length, Buffers buffer) {
        int[] starts = buffer.startsFor(length + 1);
        int[] pairRanks = buffer.pairRanksFor(length);
        for (int i = 0; i <= length; i++) {
            starts[i] = i;
        }
        for (int i = 0; i < length - 1; i++) {
            pairRanks[i] = ranks.rank(bytes, i, 2);
        }

        // starts[0..parts] are the part boundaries, and pairRanks[i] is the rank of parts i and i + 1 together.
        int parts = length;
        while (parts > 1) {
            int minRank = RankTable.NO_RANK;
            int minIndex = -1;
            for (int i = 0; i < parts - 1; i++) {
                if (pairRanks[i] < minRank) {
                    minRank = pairRanks[i];
                    minIndex = i;
                }
            }
            if (minIndex < 0) {
                break;
            }

            System.arraycopy(starts, minIndex + 2, starts, minIndex + 1, parts - minIndex - 1);
            int shiftedPairs = parts - minIndex - 3;
            if (shiftedPairs > 0) {
                System.arraycopy(pairRanks, minIndex + 2, pairRanks, minIndex + 1, shiftedPairs);
            }
            parts--;

            if (minIndex > 0) {
                pairRanks[minIndex - 1] = pairRank(bytes, starts, minIndex - 1);
            }
            if (minIndex < parts - 1) {
                pairRanks[minIndex] = pairRank(bytes, starts, minIndex);
            }
        }
        return parts;
    }

    private int pairRank(byte[] bytes, int[] starts, int index) {
        return ranks.rank(bytes, starts[index], starts[index + 2] - starts[index]);
    }

    /**
     * Merges a long piece whose parts form a linked list over their start offsets. A min-heap contains
     * {@code rank << 32 | start} for each pair, so the lowest rank comes first and the leftmost start breaks
     * ties. Entries made stale by a merge are skipped when they surface. Returns the number of parts left.
     */
    private int mergeByHeap(byte[] bytes, int length, Buffers buffer) {
        // next[start] is the start of the following part (length for the last), or DEAD for a merged-away part.
        int[] next = buffer.startsFor(length + 1);
        int[] previous = buffer.previousFor(length);
        int[] pairRanks = buffer.pairRanksFor(length);
        LongHeap heap = buffer.heapFor(3 * length);

        for (int i = 0; i < length; i++) {
            next[i] = i + 1;
            previous[i] = i - 1;
        }
        for (int i = 0; i < length - 1; i++) {
            int rank = ranks.rank(bytes, i, 2);
            pairRanks[i] = rank;
            heap.pushIfRank(rank, i);
        }
        pairRanks[length - 1] = RankTable.NO_RANK;

        int parts = length;
        while (!heap.isEmpty()) {
            long entry = heap.pop();
            int rank = (int) (entry >>> 32);
            int start = (int) entry;
            if (next[start] == DEAD || pairRanks[start] != rank) {
                continue;
            }

            int right = next[start];
            int afterRight = next[right];
            next[right] = DEAD;
            next[start] = afterRight;
            if (afterRight < length) {
                previous[afterRight] = start;
            }
            parts--;

            int newRank = afterRight < length ? ranks.rank(bytes, start, next[afterRight] - start) : RankTable.NO_RANK;
            pairRanks[start] = newRank;
            heap.pushIfRank(newRank, start);
            if (start > 0) {
                int left = previous[start];
                int leftRank = ranks.rank(bytes, left, afterRight - left);
                pairRanks[left] = leftRank;
                heap.pushIfRank(leftRank, left);
            }
        }
        return parts;
    }

    private static final int DEAD = -1;

    /** Per-thread arrays that grow to the longest piece seen. */
    private static final class Buffers {
        byte[] bytes = new byte[1024];
        private int[] starts = new int[256];
        private int[] pairRanks = new int[256];
        private int[] previous = new int[0];
        private LongHeap heap = new LongHeap(0);

        byte[] bytesFor(int capacity) {
            if (bytes.length < capacity) {
                bytes = new byte[Math.max(capacity, bytes.length * 2)];
            }
            return bytes;
        }

        int[] startsFor(int capacity) {
            if (starts.length < capacity) {
                starts = new int[Math.max(capacity, starts.length * 2)];
            }
            return starts;
        }

        int[] pairRanksFor(int capacity) {
            if (pairRanks.length < capacity) {
                pairRanks = new int[Math.max(capacity, pairRanks.length * 2)];
            }
            return pairRanks;
        }

        int[] previousFor(int capacity) {
            if (previous.length < capacity) {
                previous = new int[Math.max(capacity, previous.length * 2)];
            }
            return previous;
        }

        LongHeap heapFor(int capacity) {
            heap.reset(capacity);
            return heap;
        }
    }

    /** A binary min-heap of longs with a fixed capacity. */
    private static final class LongHeap {
        private long[] entries;
        private int size;

        LongHeap(int capacity) {
            entries = new long[capacity];
        }

        void reset(int capacity) {
            if (entries.length < capacity) {
                entries = new long[Math.max(capacity, entries.length * 2)];
            }
            size = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        /** Adds {@code rank << 32 | start} unless the rank is {@link RankTable#NO_RANK}. */
        void pushIfRank(int rank, int start) {
            if (rank == RankTable.NO_RANK) {
                return;
            }
            long entry = ((long) rank << 32) | start;
            int child = size++;
            while (child > 0) {
                int parent = (child - 1) >>> 1;
                if (entries[parent] <= entry) {
                    break;
                }
                entries[child] = entries[parent];
                child = parent;
            }
            entries[child] = entry;
        }

        long pop() {
            long top = entries[0];
            long last = entries[--size];
            int parent = 0;
            int half = size >>> 1;
            while (parent < half) {
                int child = 2 * parent + 1;
                if (child + 1 < size && entries[child + 1] < entries[child]) {
                    child++;
                }
                if (last <= entries[child]) {
                    break;
                }
                entries[parent] = entries[child];
                parent = child;
            }
            entries[parent] = last;
            return top;
        }
    }
}
