// Finds and reads the shared request files. Their text is licensed CC BY-NC 4.0, so it is read in place
// and never copied into the repository. Only counts derived from it are written.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const DATA_SUBDIRECTORY = join('shared', 'data', 'llm-requests')

/**
 * Returns the folder of the request files: $TOKEN_MONITOR_REQUEST_DATA when set, else the first
 * shared/data/llm-requests found walking up from the working directory, then from this script's folder.
 */
export function findDataDirectory() {
    const override = process.env.TOKEN_MONITOR_REQUEST_DATA
    if (override) {
        if (!existsSync(override)) {
            throw new Error(`TOKEN_MONITOR_REQUEST_DATA=${override} does not exist. Unset it or point it at the data folder`)
        }
        return resolve(override)
    }
    const scriptDirectory = dirname(fileURLToPath(import.meta.url))
    for (const start of [process.cwd(), scriptDirectory]) {
        for (let directory = resolve(start); ; directory = dirname(directory)) {
            const candidate = join(directory, DATA_SUBDIRECTORY)
            if (existsSync(candidate)) {
                return candidate
            }
            if (dirname(directory) === directory) {
                break
            }
        }
    }
    throw new Error(`Data folder ${DATA_SUBDIRECTORY} not found above ${process.cwd()} or ${scriptDirectory}. `
        + 'Clone the repository beside shared/ or set TOKEN_MONITOR_REQUEST_DATA')
}

/** Reads every *.json request file of a folder, sorted by name, as {file, records}. */
export function readRequestFiles(dataDirectory) {
    const files = readdirSync(dataDirectory).filter((name) => name.endsWith('.json')).sort()
    if (files.length === 0) {
        throw new Error(`No *.json request files in ${dataDirectory}`)
    }
    return files.map((file) => {
        const records = JSON.parse(readFileSync(join(dataDirectory, file), 'utf8'))
        for (const [index, record] of records.entries()) {
            if (typeof record.instruction !== 'string' || typeof record.output !== 'string') {
                throw new Error(`${file}: record ${index} has no string instruction or output`)
            }
        }
        return { file, records }
    })
}
