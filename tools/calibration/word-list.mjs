// Writes schemas/src/main/resources/profile/common-words.txt, the word list behind the unlistedWords feature:
// every word of 4 or more ASCII letters that the Mistral v1 vocabulary contains as one piece with a leading space
// ("▁word"). Rerun it only to change the list, then refit with fit.mjs.
//
// Usage (from this folder): npm ci && node word-list.mjs
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mistralTokenizer from 'mistral-tokenizer-js'
import { MIN_LISTED_WORD_LENGTH } from './features.mjs'
import { tokenizerVersions } from './tokenizers.mjs'

const OUTPUT_PATH = join(dirname(fileURLToPath(import.meta.url)),
    '..', '..', 'schemas', 'src', 'main', 'resources', 'profile', 'common-words.txt')

// SentencePiece marks a leading space with U+2581.
const WORD_PIECE = new RegExp(`^\u2581([A-Za-z]{${MIN_LISTED_WORD_LENGTH},})$`)

const words = [...new Set(mistralTokenizer.vocabById
    .map((piece) => WORD_PIECE.exec(piece))
    .filter((match) => match !== null)
    .map((match) => match[1]))]
    .sort()

const header = [
    `# Words of ${MIN_LISTED_WORD_LENGTH} or more ASCII letters that are one piece, with a leading space, in the Mistral v1`,
    '# SentencePiece vocabulary (32000 pieces, also used by Mixtral 8x7B). Case-sensitive, one word a line,',
    `# sorted. Extracted by tools/calibration/word-list.mjs from mistral-tokenizer-js ${tokenizerVersions()['mistral-tokenizer-js']}`,
    '# (MIT licence, copyright 2023 belladore.ai), which embeds the vocabulary of Mistral 7B, released by',
    '# Mistral AI under the Apache License 2.0.',
]
writeFileSync(OUTPUT_PATH, `${[...header, ...words].join('\n')}\n`)
console.log(`wrote ${words.length} words to ${OUTPUT_PATH}`)
