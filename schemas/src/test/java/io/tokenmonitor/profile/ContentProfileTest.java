package io.tokenmonitor.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContentProfileTest {

    @Test
    void shouldReturnEmptyForNullAndEmptyText() {
        assertSame(ContentProfile.EMPTY, ContentProfile.of(null));
        assertEquals(ContentProfile.EMPTY, ContentProfile.of(""));
        assertEquals(0, ContentProfile.EMPTY.codePoints());
    }

    @Test
    void shouldCountSurrogatePairAsOneCodePoint() {
        ContentProfile profile = ContentProfile.of("\uD83D\uDE80");

        assertEquals(1, profile.supplementary());
        assertEquals(0, profile.otherCodePoints());
        assertEquals(1, profile.codePoints());
    }

    @Test
    void shouldCountSupplementaryIdeographAsCjk() {
        ContentProfile profile = ContentProfile.of("\uD840\uDC0B");

        assertEquals(1, profile.cjk());
        assertEquals(0, profile.supplementary());
    }

    @Test
    void shouldCountLoneSurrogatesAsOtherCodePoints() {
        ContentProfile profile = ContentProfile.of("a\uD83D b\uDE80");

        assertEquals(2, profile.otherCodePoints());
        assertEquals(2, profile.asciiLetters());
        assertEquals(2, profile.words());
        assertEquals(5, profile.codePoints());
    }

    @Test
    void shouldNotCountSingleSpaceAsWhitespaceRun() {
        assertEquals(0, ContentProfile.of("one two").whitespaceRuns());
        assertEquals(0, ContentProfile.of(" one ").whitespaceRuns());
        assertEquals(1, ContentProfile.of("one  two").whitespaceRuns());
        assertEquals(1, ContentProfile.of("one\ntwo").whitespaceRuns());
        assertEquals(1, ContentProfile.of("one\t").whitespaceRuns());
        assertEquals(1, ContentProfile.of("one\u00a0two").whitespaceRuns());
        assertEquals(2, ContentProfile.of("a\n\n    b  ").whitespaceRuns());
    }

    @Test
    void shouldCountLineFeedsAsWhitespace() {
        ContentProfile profile = ContentProfile.of("a\r\nb\n");

        assertEquals(2, profile.lineFeeds());
        assertEquals(3, profile.whitespace());
        assertEquals(2, profile.whitespaceRuns());
    }

    @Test
    void shouldCountWordsAcrossLatinLetters() {
        ContentProfile profile = ContentProfile.of("naïveCafé déjà-vu");

        assertEquals(3, profile.words());
        assertEquals(4, profile.latinLetters());
        assertEquals(11, profile.asciiLetters());
        assertEquals(1, profile.uppercase());
        assertEquals(1, profile.caseChanges());
        assertEquals(1, profile.punctuation());
    }

    @Test
    void shouldCountCaseChangeOnlyAfterLowercase() {
        assertEquals(1, ContentProfile.of("parseHTTPResponse").caseChanges());
        assertEquals(0, ContentProfile.of("HTTP Response").caseChanges());
        assertEquals(0, ContentProfile.of("a1B").caseChanges());
    }

    @Test
    void shouldCountDigitAndPunctuationRuns() {
        ContentProfile profile = ContentProfile.of("x=12+345;</div>");

        assertEquals(5, profile.digits());
        assertEquals(2, profile.digitRuns());
        assertEquals(6, profile.punctuation());
        assertEquals(4, profile.punctuationRuns());
        assertEquals(2, profile.words());
    }

    @Test
    void shouldClassifyScripts() {
        assertEquals(6, ContentProfile.of("Привет").cyrillic());
        assertEquals(5, ContentProfile.of("Γειάσ").otherScripts());
        assertEquals(4, ContentProfile.of("שלום").otherScripts());
        assertEquals(4, ContentProfile.of("日本語。").cjk());
        assertEquals(2, ContentProfile.of("한국").cjk());
        assertEquals(2, ContentProfile.of("“”").otherCodePoints());
        assertEquals(1, ContentProfile.of("×").otherCodePoints());
        assertEquals(1, ContentProfile.of("\u3000").whitespace());
    }

    @Test
    void shouldCountLongTextsExactly() {
        ContentProfile profile = ContentProfile.of("ab ".repeat(2000) + "x".repeat(5000) + "  " + "9".repeat(3000));

        assertEquals(9000, profile.asciiLetters());
        assertEquals(2001, profile.words());
        assertEquals(2002, profile.whitespace());
        assertEquals(1, profile.whitespaceRuns());
        assertEquals(3000, profile.digits());
        assertEquals(1, profile.digitRuns());
        assertEquals(14002, profile.codePoints());
    }

    @Test
    void shouldJoinSurrogatePairAtEveryOffset() {
        for (int offset = 990; offset < 1010; offset++) {
            ContentProfile profile = ContentProfile.of("a".repeat(offset) + "\uD83D\uDE80b");

            assertEquals(1, profile.supplementary(), "emoji after " + offset + " letters");
            assertEquals(0, profile.otherCodePoints(), "emoji after " + offset + " letters");
            assertEquals(offset + 1, profile.asciiLetters(), "emoji after " + offset + " letters");
            assertEquals(2, profile.words(), "emoji after " + offset + " letters");
        }
    }

    @Test
    void shouldAddComponentsInPlus() {
        ContentProfile left = ContentProfile.of("Hello, world");
        ContentProfile right = ContentProfile.of(" 42 日本");
        long[] sum = left.plus(right).toArray();

        for (int i = 0; i < sum.length; i++) {
            assertEquals(left.toArray()[i] + right.toArray()[i], sum[i], ContentProfile.FEATURE_NAMES.get(i));
        }
    }

    @Test
    void shouldRejectOverflowInPlus() {
        ContentProfile huge = new ContentProfile(Long.MAX_VALUE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        assertThrows(ArithmeticException.class, () -> huge.plus(ContentProfile.of("a")));
    }

    @Test
    void shouldCountUnlistedWordsCaseSensitively() {
        assertEquals(0, ContentProfile.of("world World Hello").unlistedWords());
        assertEquals(2, ContentProfile.of("WORLD hello").unlistedWords());
        assertEquals(1, ContentProfile.of("xyzzy").unlistedWords());
    }

    @Test
    void shouldSkipLetterRunsShorterThanFour() {
        assertEquals(0, ContentProfile.of("xyz qq").unlistedWords());
    }

    @Test
    void shouldEndLetterRunAtNonLetter() {
        assertEquals(0, ContentProfile.of("world\u00e9world").unlistedWords());
        assertEquals(2, ContentProfile.of("xyzzy\u00e9xyzzy").unlistedWords());
        assertEquals(0, ContentProfile.of("world_world1world").unlistedWords());
    }

    @Test
    void shouldLookUpLetterRunAcrossChunkEnd() {
        // The profiler copies the text in chunks of 1000 chars, so these runs cross the first chunk end.
        String padding = " ".repeat(998);

        assertEquals(0, ContentProfile.of(padding + "world").unlistedWords());
        assertEquals(1, ContentProfile.of(padding + "xyzzy").unlistedWords());
        assertEquals(0, ContentProfile.of(padding + "world ").unlistedWords());
        assertEquals(1, ContentProfile.of(padding + "xyzzy ").unlistedWords());
    }
}
