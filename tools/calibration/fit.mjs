// Fits the calibrated token estimator and writes processor/src/main/resources/estimation/calibration.json.
//
// Usage (from this folder): npm ci && node fit.mjs
// Reruns give the same file; "date" changes only when the weights, errors or samples change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findDataDirectory, readRequestFiles } from './data.mjs'
import { loadExactCounts } from './exact-counts.mjs'
import { FEATURE_DEFINITIONS, FEATURE_NAMES, codePointsOf, profileOf } from './features.mjs'
import { fitRelativeAbsoluteError } from './least-squares.mjs'
import { SAMPLES } from './samples.mjs'
import { EXACT_COUNTERS, tokenizerVersions } from './tokenizers.mjs'

const OUTPUT_PATH = join(dirname(fileURLToPath(import.meta.url)),
    '..', '..', 'processor', 'src', 'main', 'resources', 'estimation', 'calibration.json')

// A feature that occurs fewer times than this in the training texts gets its weight from the samples.
const MIN_DATA_OCCURRENCES = 500

// The estimator rounds up, which adds half a token on average, so the fit aims half a token low.
const ROUNDING_OFFSET = 0.5

const WEIGHT_DECIMALS = 4
const FITTED_FAMILIES = Object.keys(EXACT_COUNTERS)
const DIGIT_FEATURES = ['digits', 'digitRuns']

/** Returns the estimate for a profile vector: the rounded-up weighted sum, at least 1 for a non-empty text. */
export function estimate(weights, features) {
    let sum = 0
    for (let i = 0; i < features.length; i++) {
        sum += weights[i] * features[i]
    }
    const codePoints = codePointsOf(Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, features[i]])))
    return codePoints === 0 ? 0 : Math.max(1, Math.ceil(sum))
}

/** Returns the four-characters baseline: ceil(code points / 4). */
export function baselineEstimate(features) {
    const codePoints = codePointsOf(Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, features[i]])))
    return Math.ceil(codePoints / 4)
}

function vectorOf(profile) {
    return FEATURE_NAMES.map((name) => profile[name])
}

function namedOf(vector) {
    return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, vector[i]]))
}

// Every prompt once (they are the same in every file) and every completion, with its record index.
function collectTexts(requestFiles, exactCounts) {
    const texts = []
    requestFiles.forEach(({ file, records }, fileIndex) => {
        const counts = exactCounts.files.find((entry) => entry.file === file)
        records.forEach((record, index) => {
            const exactOf = (source) => Object.fromEntries(
                FITTED_FAMILIES.map((family) => [family, counts[source][family][index]]))
            if (fileIndex === 0) {
                texts.push({ source: 'prompt', file, index, features: vectorOf(profileOf(record.instruction)),
                    exact: exactOf('prompt') })
            }
            texts.push({ source: 'completion', file, index, features: vectorOf(profileOf(record.output)),
                exact: exactOf('completion') })
        })
    })
    return texts
}

function roundWeight(value) {
    return Number(value.toFixed(WEIGHT_DECIMALS))
}

/**
 * Fits a family in two stages: the features common in the training texts on those texts, then the rare
 * ones (other scripts) on the samples, with the first stage's weights held fixed.
 */
function fitFamily(family, training, samples, dataFeatureIndexes) {
    const rareIndexes = FEATURE_NAMES.map((_, i) => i).filter((i) => !dataFeatureIndexes.includes(i))
    const weights = new Array(FEATURE_NAMES.length).fill(0)

    const dataRows = training.filter((text) => text.exact[family] > 0).map((text) => ({
        features: dataFeatureIndexes.map((i) => text.features[i]),
        target: text.exact[family] - ROUNDING_OFFSET,
        exact: text.exact[family],
    }))
    fitRelativeAbsoluteError(dataRows).forEach((weight, k) => { weights[dataFeatureIndexes[k]] = weight })

    const sampleRows = samples
        .filter((sample) => rareIndexes.some((i) => sample.features[i] > 0))
        .map((sample) => {
            const explained = dataFeatureIndexes.reduce((sum, i) => sum + weights[i] * sample.features[i], 0)
            return {
                features: rareIndexes.map((i) => sample.features[i]),
                target: sample.exact[family] - ROUNDING_OFFSET - explained,
                exact: sample.exact[family],
            }
        })
    fitRelativeAbsoluteError(sampleRows).forEach((weight, k) => { weights[rareIndexes[k]] = weight })

    return weights.map(roundWeight)
}

// Mean absolute percentage error per text and bias of the total, in percent, per source.
function errorReport(texts, family, estimator) {
    const report = {}
    for (const source of ['prompt', 'completion']) {
        const selected = texts.filter((text) => text.source === source && text.exact[family] > 0)
        let absolutePercentSum = 0
        let estimatedTotal = 0
        let exactTotal = 0
        for (const text of selected) {
            const estimated = estimator(text.features)
            absolutePercentSum += Math.abs(estimated - text.exact[family]) / text.exact[family]
            estimatedTotal += estimated
            exactTotal += text.exact[family]
        }
        report[`${source}s`] = {
            texts: selected.length,
            meanAbsolutePercentError: Number((100 * absolutePercentSum / selected.length).toFixed(2)),
            totalBiasPercent: Number((100 * (estimatedTotal - exactTotal) / exactTotal).toFixed(2)),
        }
    }
    return report
}

function derivedWeights(families) {
    const llama3 = families.LLAMA3.weights
    const mistral = families.MISTRAL.weights
    const llama3WithSingleDigits = Object.fromEntries(FEATURE_NAMES.map((name) => [name,
        DIGIT_FEATURES.includes(name) ? mistral[name] : llama3[name]]))
    const meanOfFitted = Object.fromEntries(FEATURE_NAMES.map((name) => [name,
        roundWeight(FITTED_FAMILIES.reduce((sum, family) => sum + families[family].weights[name], 0)
            / FITTED_FAMILIES.length)]))
    return {
        QWEN: { fitted: false, derivedFrom: 'LLAMA3 weights with the MISTRAL digit weights',
            weights: llama3WithSingleDigits },
        DEEPSEEK: { fitted: false, derivedFrom: 'LLAMA3 weights with the MISTRAL digit weights',
            weights: { ...llama3WithSingleDigits } },
        GEMMA: { fitted: false, derivedFrom: 'LLAMA3 weights with the MISTRAL digit weights',
            weights: { ...llama3WithSingleDigits } },
        DEFAULT: { fitted: false, derivedFrom: 'mean of the LLAMA3, MISTRAL and OPENAI weights',
            weights: meanOfFitted },
    }
}

const NOTES = [
    'Estimate = ceil(sum of weight * feature count), at least 1 for a non-empty text and 0 for an empty one. '
        + 'The fit aims half a token below the exact count because rounding up adds half a token on average.',
    'LLAMA3, MISTRAL and OPENAI are fitted against exact counts: llama3-tokenizer-js without begin and end '
        + 'tokens, mistral-tokenizer-js (Mistral v1, Mixtral) without the begin token and with the leading '
        + 'space SentencePiece adds, and gpt-tokenizer o200k_base (GPT-4o and later) with special-token text '
        + 'counted as ordinary text.',
    'Training texts are the records with an even index in every file of the request data (prompts once, '
        + 'completions of all five models); the held-out error is on the odd records. The fit minimizes the mean '
        + 'absolute relative error with non-negative weights.',
    `Features with fewer than ${MIN_DATA_OCCURRENCES} occurrences in the training texts (listed in `
        + 'weightsFromSamples) are fitted on the synthetic samples instead, with the other weights held '
        + 'fixed. These weights rest on a few sentences per script and are rough.',
    'QWEN, DEEPSEEK and GEMMA are NOT fitted: no exact tokenizer for them is available offline. They use the '
        + 'LLAMA3 weights, as their byte-level or large SentencePiece vocabularies are closest to Llama 3 for '
        + 'English, with the MISTRAL digit weights, because they split numbers into single digits (the Qwen2 '
        + 'pre-tokenizer pattern matches one \\p{N} at a time, and DeepSeek LLM and Gemma are reported to do the '
        + 'same, which was not checked here). Their vocabularies hold more CJK tokens than Llama 3, so CJK text is '
        + 'probably overestimated for them.',
    'DEFAULT is NOT fitted: it is the mean of the three fitted families, for models of unknown family.',
]

function main() {
    const dataDirectory = findDataDirectory()
    const requestFiles = readRequestFiles(dataDirectory)
    const exactCounts = loadExactCounts(requestFiles, dataDirectory)
    const texts = collectTexts(requestFiles, exactCounts)
    const training = texts.filter((text) => text.index % 2 === 0)
    const heldOut = texts.filter((text) => text.index % 2 === 1)

    const samples = SAMPLES.map(({ name, text }) => ({
        name,
        text,
        features: vectorOf(profileOf(text)),
        exact: Object.fromEntries(FITTED_FAMILIES.map((family) => [family, EXACT_COUNTERS[family].count(text)])),
    }))

    const trainingOccurrences = FEATURE_NAMES.map((_, i) => training.reduce((sum, text) => sum + text.features[i], 0))
    const dataFeatureIndexes = FEATURE_NAMES.map((_, i) => i)
        .filter((i) => trainingOccurrences[i] >= MIN_DATA_OCCURRENCES)
    const weightsFromSamples = FEATURE_NAMES.filter((_, i) => !dataFeatureIndexes.includes(i))

    const families = {}
    for (const family of FITTED_FAMILIES) {
        const weights = fitFamily(family, training, samples, dataFeatureIndexes)
        const calibrated = (features) => estimate(weights, features)
        families[family] = {
            fitted: true,
            tokenizer: EXACT_COUNTERS[family].tokenizer,
            weights: namedOf(weights),
            weightsFromSamples,
            trainingError: errorReport(training, family, calibrated),
            heldOutError: errorReport(heldOut, family, calibrated),
            heldOutErrorOfFourCharactersPerToken: errorReport(heldOut, family, baselineEstimate),
        }
    }
    Object.assign(families, derivedWeights(families))

    const calibration = {
        description: 'Weights of the calibrated token estimator per model family, fitted by '
            + 'tools/calibration/fit.mjs. Error figures are in percent.',
        date: null,
        tokenizers: tokenizerVersions(),
        data: {
            files: requestFiles.map(({ file, records }) => ({ file, records: records.length })),
            trainingTexts: training.length,
            heldOutTexts: heldOut.length,
            trainingOccurrences: namedOf(trainingOccurrences),
        },
        features: FEATURE_NAMES.map((name) => ({ name, definition: FEATURE_DEFINITIONS[name] })),
        families,
        notes: NOTES,
        samples: samples.map((sample) => ({
            name: sample.name,
            text: sample.text,
            profile: namedOf(sample.features),
            exactTokens: sample.exact,
            estimates: Object.fromEntries(Object.entries(families).map(([family, { weights }]) =>
                [family, estimate(vectorOf(weights), sample.features)])),
        })),
    }

    calibration.date = unchangedDate(calibration) ?? new Date().toISOString().slice(0, 10)
    writeFileSync(OUTPUT_PATH, `${JSON.stringify(calibration, null, 2)}\n`)
    printSummary(families)
    console.log(`wrote ${OUTPUT_PATH}`)
}

// Keeps the previous date when nothing else changed, so that a rerun leaves the file untouched.
function unchangedDate(calibration) {
    if (!existsSync(OUTPUT_PATH)) {
        return null
    }
    const previous = JSON.parse(readFileSync(OUTPUT_PATH, 'utf8'))
    const withoutDate = (value) => JSON.stringify({ ...value, date: null })
    return withoutDate(previous) === withoutDate(calibration) ? previous.date : null
}

function printSummary(families) {
    for (const family of FITTED_FAMILIES) {
        for (const source of ['prompts', 'completions']) {
            const heldOut = families[family].heldOutError[source]
            const baseline = families[family].heldOutErrorOfFourCharactersPerToken[source]
            console.log(`${family.padEnd(8)} ${source.padEnd(12)} held-out MAPE ${heldOut.meanAbsolutePercentError}% `
                + `bias ${heldOut.totalBiasPercent}% (4 chars/token: ${baseline.meanAbsolutePercentError}%, `
                + `${baseline.totalBiasPercent}%)`)
        }
    }
}

main()
