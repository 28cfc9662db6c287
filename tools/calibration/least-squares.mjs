// Non-negative least squares in plain JavaScript, sized for the few features of a content profile.

/**
 * Solves min ||Ax - b|| subject to x >= 0 from the normal equations G = A'A and h = A'b, with the
 * active-set method of Lawson and Hanson.
 */
export function nonNegativeLeastSquares(gram, moment) {
    const size = moment.length
    let solution = new Array(size).fill(0)
    const passive = new Set()

    for (let iteration = 0; iteration < 10 * size; iteration++) {
        const gradient = moment.map((value, i) => value - dot(gram[i], solution))
        const entering = argMaxOutside(gradient, passive)
        if (entering < 0) {
            break
        }
        passive.add(entering)

        for (;;) {
            const indexes = [...passive].sort((a, b) => a - b)
            const unconstrained = solveLinear(
                indexes.map((i) => indexes.map((j) => gram[i][j])),
                indexes.map((i) => moment[i]),
            )
            if (unconstrained === null) {
                passive.delete(entering)
                return solution
            }
            if (unconstrained.every((value) => value > 0)) {
                solution = new Array(size).fill(0)
                indexes.forEach((i, k) => { solution[i] = unconstrained[k] })
                break
            }
            // Step towards the unconstrained solution until the first weight reaches zero, then drop it.
            let step = 1
            indexes.forEach((i, k) => {
                if (unconstrained[k] <= 0) {
                    step = Math.min(step, solution[i] / (solution[i] - unconstrained[k]))
                }
            })
            indexes.forEach((i, k) => { solution[i] += step * (unconstrained[k] - solution[i]) })
            for (const i of indexes) {
                if (solution[i] <= 1e-12) {
                    solution[i] = 0
                    passive.delete(i)
                }
            }
        }
    }
    return solution
}

/**
 * Fits non-negative weights w that minimize the mean absolute relative error sum |x.w - t| / y over
 * rows {features, target, exact}, by iteratively reweighted least squares: each pass solves a weighted
 * NNLS whose row weights are 1 / (y^2 * max(|residual| / y, 0.005)).
 */
export function fitRelativeAbsoluteError(rows, iterations = 30) {
    const size = rows[0].features.length
    let relativeResiduals = rows.map(() => 1)
    let weights = new Array(size).fill(0)

    for (let pass = 0; pass < iterations; pass++) {
        const gram = Array.from({ length: size }, () => new Array(size).fill(0))
        const moment = new Array(size).fill(0)
        rows.forEach((row, r) => {
            const rowWeight = 1 / (row.exact * row.exact * Math.max(relativeResiduals[r], 0.005))
            for (let a = 0; a < size; a++) {
                moment[a] += rowWeight * row.features[a] * row.target
                for (let b = 0; b < size; b++) {
                    gram[a][b] += rowWeight * row.features[a] * row.features[b]
                }
            }
        })
        weights = nonNegativeLeastSquares(gram, moment)
        relativeResiduals = rows.map((row) => Math.abs(dot(row.features, weights) - row.target) / row.exact)
    }
    return weights
}

function dot(a, b) {
    let sum = 0
    for (let i = 0; i < a.length; i++) {
        sum += a[i] * b[i]
    }
    return sum
}

function argMaxOutside(values, excluded) {
    let best = -1
    let bestValue = 1e-9
    values.forEach((value, i) => {
        if (!excluded.has(i) && value > bestValue) {
            best = i
            bestValue = value
        }
    })
    return best
}

// Gauss-Jordan elimination with partial pivoting; returns null for a singular system.
function solveLinear(matrix, vector) {
    const size = vector.length
    const rows = matrix.map((row, i) => [...row, vector[i]])
    for (let column = 0; column < size; column++) {
        let pivot = column
        for (let r = column + 1; r < size; r++) {
            if (Math.abs(rows[r][column]) > Math.abs(rows[pivot][column])) {
                pivot = r
            }
        }
        if (Math.abs(rows[pivot][column]) < 1e-12) {
            return null
        }
        [rows[column], rows[pivot]] = [rows[pivot], rows[column]]
        for (let r = 0; r < size; r++) {
            if (r !== column) {
                const factor = rows[r][column] / rows[column][column]
                for (let c = column; c <= size; c++) {
                    rows[r][c] -= factor * rows[column][c]
                }
            }
        }
    }
    return rows.map((row, i) => row[size] / row[i])
}
