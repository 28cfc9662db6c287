// Exact token counters for the families that have a tokenizer offline, and the data files they apply to.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base'
import llama3Tokenizer from 'llama3-tokenizer-js'
import mistralTokenizer from 'mistral-tokenizer-js'

const require = createRequire(import.meta.url)

// Special-token strings such as "<|endoftext|>" inside a text count as ordinary text for o200k. The
// other two counters add no begin or end of sequence token. mistral-tokenizer-js prepends one space, as
// SentencePiece's dummy prefix does.
const NO_SPECIAL_TOKENS = { disallowedSpecial: new Set() }

/** Exact counters by family name, as used in calibration.json and the Java enum ModelFamily. */
export const EXACT_COUNTERS = {
    LLAMA3: {
        tokenizer: 'llama3-tokenizer-js',
        count: (text) => (text.length === 0 ? 0 : llama3Tokenizer.encode(text, { bos: false, eos: false }).length),
    },
    MISTRAL: {
        tokenizer: 'mistral-tokenizer-js',
        count: (text) => (text.length === 0 ? 0 : mistralTokenizer.encode(text, false, true).length),
    },
    OPENAI: {
        tokenizer: 'gpt-tokenizer (o200k_base)',
        count: (text) => encodeO200k(text, NO_SPECIAL_TOKENS).length,
    },
}

/** Family whose exact tokenizer counts each data file's completions, or null when none is offline. */
export const FAMILY_OF_FILE = {
    'Meta-Llama-3-70B-Instruct.json': 'LLAMA3',
    'Mixtral-8x7B-Instruct-v0.1.json': 'MISTRAL',
    'Qwen2-72B-Instruct.json': null,
    'deepseek-llm-67b-chat.json': null,
    'gpt-4o-2024-05-13.json': 'OPENAI',
}

/** Returns the installed version of each tokenizer package, read from its package.json. */
export function tokenizerVersions() {
    const versions = {}
    for (const name of ['gpt-tokenizer', 'llama3-tokenizer-js', 'mistral-tokenizer-js']) {
        const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'))
        versions[name] = manifest.version
    }
    return versions
}
