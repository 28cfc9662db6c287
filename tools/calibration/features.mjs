// The content profile of a text: counts of code point classes and runs that predict its token count.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// schemas/src/main/java/io/tokenmonitor/profile/ContentProfile.java computes the same
// counts; the samples in calibration.json pin the two together.

/** Feature names in the order of the weights in calibration.json and of the Java record components. */
export const FEATURE_NAMES = [
    'asciiLetters', 'latinLetters', 'words', 'uppercase', 'caseChanges',
    'digits', 'digitRuns', 'whitespace', 'whitespaceRuns', 'lineFeeds', 'punctuation', 'punctuationRuns',
    'cyrillic', 'cjk', 'otherScripts', 'supplementary', 'otherCodePoints', 'unlistedWords',
]

/** Shortest run of ASCII letters that unlistedWords looks up in the word list. */
export const MIN_LISTED_WORD_LENGTH = 4

const WORD_LIST_PATH = join(dirname(fileURLToPath(import.meta.url)),
    '..', '..', 'schemas', 'src', 'main', 'resources', 'profile', 'common-words.txt')

/** Definition of each feature, written into calibration.json. */
export const FEATURE_DEFINITIONS = {
    asciiLetters: 'code points U+0041-U+005A and U+0061-U+007A',
    latinLetters: 'non-ASCII Latin letters: U+00C0-U+024F except U+00D7 and U+00F7, and U+1E00-U+1EFF',
    words: 'maximal runs of asciiLetters and latinLetters code points',
    uppercase: 'code points U+0041-U+005A (also counted in asciiLetters)',
    caseChanges: 'code points U+0041-U+005A that directly follow one of U+0061-U+007A, as in camelCase',
    digits: 'code points U+0030-U+0039',
    digitRuns: 'maximal runs of digits',
    whitespace: 'Unicode White_Space: U+0009-U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000-U+200A, '
        + 'U+2028, U+2029, U+202F, U+205F, U+3000',
    whitespaceRuns: 'maximal runs of whitespace, except a run of exactly one U+0020',
    lineFeeds: 'code points U+000A (also counted in whitespace)',
    punctuation: 'ASCII punctuation and symbols: U+0021-U+002F, U+003A-U+0040, U+005B-U+0060, U+007B-U+007E',
    punctuationRuns: 'maximal runs of punctuation',
    cyrillic: 'code points U+0400-U+052F',
    cjk: 'Hangul Jamo U+1100-U+11FF, CJK radicals U+2E80-U+2FDF, CJK symbols, kana U+3001-U+30FF, '
        + 'U+3130-U+318F, U+31F0-U+31FF, ideographs U+3400-U+4DBF, U+4E00-U+9FFF, Hangul syllables '
        + 'U+AC00-U+D7AF, U+F900-U+FAFF, fullwidth forms U+FF00-U+FFEF, U+20000-U+3FFFF',
    otherScripts: 'Greek, Armenian, Hebrew, Arabic, Indic, Thai and other alphabets: U+0370-U+03FF, '
        + 'U+0530-U+10FF, U+1200-U+1CFF, U+1F00-U+1FFF, except whitespace',
    supplementary: 'code points U+10000 and above that are not cjk, mostly emoji',
    otherCodePoints: 'every other code point: controls, Latin-1 symbols, IPA and combining marks, general '
        + 'punctuation such as curly quotes and dashes, BMP symbols and emoji, variation selectors, lone surrogates',
    unlistedWords: `maximal runs of ${MIN_LISTED_WORD_LENGTH} or more asciiLetters code points that are not, `
        + 'with the same case, in the word list common-words.txt (whole words of the Mistral v1 vocabulary)',
}

let listedWords = null

// Loaded on first use, so that word-list.mjs can import this module before the list exists.
function wordList() {
    if (listedWords === null) {
        listedWords = new Set(readFileSync(WORD_LIST_PATH, 'utf8').split('\n')
            .filter((line) => line.length > 0 && !line.startsWith('#')))
    }
    return listedWords
}

const LETTER = 0
const DIGIT = 1
const WHITESPACE = 2
const PUNCTUATION = 3
const LATIN = 4
const CYRILLIC = 5
const CJK = 6
const OTHER_SCRIPT = 7
const SUPPLEMENTARY = 8
const OTHER = 9

function isWhitespace(c) {
    return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680
        || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f
        || c === 0x3000
}

function isCjk(c) {
    return (c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3001 && c <= 0x30ff)
        || (c >= 0x3130 && c <= 0x318f) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0x3400 && c <= 0x4dbf)
        || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)
        || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3ffff)
}

function classify(c) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
        return LETTER
    }
    if (c >= 0x30 && c <= 0x39) {
        return DIGIT
    }
    if (isWhitespace(c)) {
        return WHITESPACE
    }
    if (c >= 0x21 && c <= 0x7e) {
        return PUNCTUATION
    }
    if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff)) {
        return LATIN
    }
    if (c >= 0x400 && c <= 0x52f) {
        return CYRILLIC
    }
    if (isCjk(c)) {
        return CJK
    }
    if ((c >= 0x370 && c <= 0x10ff) || (c >= 0x1200 && c <= 0x1cff) || (c >= 0x1f00 && c <= 0x1fff)) {
        return OTHER_SCRIPT
    }
    return c >= 0x10000 ? SUPPLEMENTARY : OTHER
}

/** Returns the content profile of a text as an object keyed by FEATURE_NAMES. */
export function profileOf(text) {
    const profile = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 0]))
    let previous = -1
    let previousLowercase = false
    let whitespaceRunLength = 0
    let whitespaceRunIsSpace = false
    const words = wordList()
    // Offset in UTF-16 code units of the current char and of the current run of ASCII letters.
    let offset = 0
    let letterRunStart = 0
    const countUnlistedWord = (end) => {
        if (end - letterRunStart >= MIN_LISTED_WORD_LENGTH && !words.has(text.slice(letterRunStart, end))) {
            profile.unlistedWords++
        }
    }

    // for...of walks code points. A lone surrogate comes out as one code unit, as in Java.
    for (const character of text) {
        const c = character.codePointAt(0)
        const kind = classify(c)
        if (kind === LETTER && previous !== LETTER) {
            letterRunStart = offset
        } else if (kind !== LETTER && previous === LETTER) {
            countUnlistedWord(offset)
        }
        offset += character.length

        if (kind === WHITESPACE) {
            if (previous !== WHITESPACE) {
                whitespaceRunLength = 0
                whitespaceRunIsSpace = c === 0x20
            }
            whitespaceRunLength++
            profile.whitespace++
            if (c === 0x0a) {
                profile.lineFeeds++
            }
        } else if (previous === WHITESPACE) {
            profile.whitespaceRuns += countsAsWhitespaceRun(whitespaceRunLength, whitespaceRunIsSpace)
        }

        switch (kind) {
            case LETTER:
                profile.asciiLetters++
                if (previous !== LETTER && previous !== LATIN) {
                    profile.words++
                }
                if (c <= 0x5a) {
                    profile.uppercase++
                    if (previousLowercase) {
                        profile.caseChanges++
                    }
                }
                break
            case LATIN:
                profile.latinLetters++
                if (previous !== LETTER && previous !== LATIN) {
                    profile.words++
                }
                break
            case DIGIT:
                profile.digits++
                if (previous !== DIGIT) {
                    profile.digitRuns++
                }
                break
            case PUNCTUATION:
                profile.punctuation++
                if (previous !== PUNCTUATION) {
                    profile.punctuationRuns++
                }
                break
            case CYRILLIC:
                profile.cyrillic++
                break
            case CJK:
                profile.cjk++
                break
            case OTHER_SCRIPT:
                profile.otherScripts++
                break
            case SUPPLEMENTARY:
                profile.supplementary++
                break
            case OTHER:
                profile.otherCodePoints++
                break
            default:
                break
        }
        previousLowercase = c >= 0x61 && c <= 0x7a
        previous = kind
    }
    if (previous === WHITESPACE) {
        profile.whitespaceRuns += countsAsWhitespaceRun(whitespaceRunLength, whitespaceRunIsSpace)
    }
    if (previous === LETTER) {
        countUnlistedWord(offset)
    }
    return profile
}

// A single space usually joins the next token (" the", "▁the") in all three tokenizers, so it is no run.
function countsAsWhitespaceRun(length, startsWithSpace) {
    return length === 1 && startsWithSpace ? 0 : 1
}

/** Returns the number of code points a profile counts: every code point is in exactly one class. */
export function codePointsOf(profile) {
    return profile.asciiLetters + profile.latinLetters + profile.digits + profile.whitespace + profile.punctuation
        + profile.cyrillic + profile.cjk + profile.otherScripts + profile.supplementary + profile.otherCodePoints
}
