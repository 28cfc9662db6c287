// Counts the exact tokens of every prompt and completion in the shared request files with each offline
// tokenizer, and caches the counts in target/exact-counts.json for the fit and the accuracy benchmark.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findDataDirectory, readRequestFiles } from './data.mjs'
import { EXACT_COUNTERS, FAMILY_OF_FILE, tokenizerVersions } from './tokenizers.mjs'

// Increment when the cached layout changes, so that older caches are counted again.
const CACHE_FORMAT = 2

const TARGET_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'target')
export const EXACT_COUNTS_PATH = join(TARGET_DIRECTORY, 'exact-counts.json')

/**
 * Returns {key, dataDirectory, files: [{file, family, prompt: {FAMILY: [counts]}, completion: {...}}]}, where
 * family is the family whose tokenizer the file's model uses, or null when none is available offline.
 * Reads the cache when it was made from the same tokenizer versions and data file sizes, else counts
 * again (a few minutes) and rewrites it.
 */
export function loadExactCounts(requestFiles, dataDirectory) {
    const key = cacheKey(requestFiles, dataDirectory)
    if (existsSync(EXACT_COUNTS_PATH)) {
        const cached = JSON.parse(readFileSync(EXACT_COUNTS_PATH, 'utf8'))
        if (JSON.stringify(cached.key) === JSON.stringify(key)) {
            return cached
        }
    }
    const counted = { key, dataDirectory, files: countAll(requestFiles) }
    mkdirSync(TARGET_DIRECTORY, { recursive: true })
    writeFileSync(EXACT_COUNTS_PATH, JSON.stringify(counted))
    return counted
}

function cacheKey(requestFiles, dataDirectory) {
    return {
        format: CACHE_FORMAT,
        tokenizers: tokenizerVersions(),
        files: requestFiles.map(({ file }) => ({ file, bytes: statSync(join(dataDirectory, file)).size })),
    }
}

function countAll(requestFiles) {
    const memo = new Map()
    return requestFiles.map(({ file, records }) => {
        const started = Date.now()
        const counts = { file, family: FAMILY_OF_FILE[file] ?? null, prompt: {}, completion: {} }
        for (const [family, counter] of Object.entries(EXACT_COUNTERS)) {
            counts.prompt[family] = records.map((record) => countOnce(memo, family, counter, record.instruction))
            counts.completion[family] = records.map((record) => countOnce(memo, family, counter, record.output))
        }
        console.error(`counted ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
        return counts
    })
}

// The 805 prompts are the same in every file, so each distinct text is counted once per family.
function countOnce(memo, family, counter, text) {
    const key = `${family}\u0000${text}`
    let count = memo.get(key)
    if (count === undefined) {
        count = counter.count(text)
        memo.set(key, count)
    }
    return count
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const dataDirectory = findDataDirectory()
    loadExactCounts(readRequestFiles(dataDirectory), dataDirectory)
    console.error(`exact counts in ${EXACT_COUNTS_PATH}`)
}
