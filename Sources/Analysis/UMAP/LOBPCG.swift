import ModelCore

/// The largest eigenpairs of a large symmetric operator, by LOBPCG (Knyazev 2001).
///
/// Each step does a Rayleigh–Ritz projection on the span of the current vectors X, their residuals R
/// and the previous search directions P; `guardVectors` extra columns speed convergence when the
/// wanted eigenvalues are close to the next ones.
///
/// The n-long vectors are touched as little as possible, because at 200,000 points each pass over
/// them is a pass over main memory: the projection is solved on Gram matrices alone (Sᵀ S and Sᵀ A S
/// for S = [X P R], two matrix products), never forming an orthonormal basis, and one pass over the
/// rows forms the next X and P, their images under A and the next residuals. A·X and A·P are carried
/// along, so the operator is applied to the residuals only. The deflated vector u (an eigenvector of eigenvalue 1) rides in
/// S's last column: its overlaps come out of the same Gram products and are removed in the small
/// matrices.
struct LOBPCG {
    /// Applies the operator to an n × `columns` block stored row by row (row i at `input + i·inputStride`)
    /// and writes the result the same way.
    typealias Operator = (_ input: UnsafePointer<Double>, _ inputStride: Int,
                          _ output: UnsafeMutablePointer<Double>, _ outputStride: Int, _ columns: Int) -> Void

    let size: Int
    let wanted: Int
    var guardVectors = 3
    var tolerance = 1e-4
    var maxIterations = 500
    /// A known unit eigenvector of eigenvalue 1, kept out of every block, so the next ones are found instead.
    var deflated: [Double]?

    struct Result {
        /// Descending.
        var values: [Double]
        /// n × wanted, row-major.
        var vectors: [Double]
        var converged: Bool
    }

    /// Nil when the iteration breaks down (non-finite values).
    func solve(seed: UInt64, apply: Operator) -> Result? {
        let n = size, m = min(wanted + guardVectors, max(1, (n - 1) / 3))
        var blocks = Blocks(rows: n, blockSize: m, deflated: deflated)
        var random = SeededRandom(seed: seed)
        for row in 0..<n { for column in 0..<m { blocks.vectors[row * blocks.width + column] = Double(random.normal()) } }
        blocks.applyOperator(apply, toColumns: 0..<m)
        var active = Blocks.Parts(residuals: false, directions: false)
        for iteration in 0...maxIterations {
            guard let step = blocks.rayleighRitz(active: active) else { return nil }
            let worst = blocks.advance(by: step, watching: wanted)
            guard worst.isFinite else { return nil }
            if worst < tolerance || iteration == maxIterations {
                return Result(values: Array(step.values.prefix(wanted)), vectors: blocks.leadingColumns(wanted),
                              converged: worst < tolerance)
            }
            blocks.applyOperator(apply, toColumns: blocks.residualColumns)
            active = Blocks.Parts(residuals: true, directions: active.residuals)
        }
        return nil
    }
}

/// LOBPCG's n-long state: S = [X P R u] and A·S, row-major with `width` doubles per row, each twice
/// (the step reads one copy and writes the other).
private struct Blocks {
    let rows: Int
    let blockSize: Int
    /// 3m + 1 columns: X, P, R, then u (zeros without a deflated vector).
    let width: Int
    var vectors: [Double]
    var images: [Double]
    private var nextVectors: [Double]
    private var nextImages: [Double]
    /// The columns the operator is applied to, copied out, and its result (see `applyOperator`).
    private var operatorInput: [Double] = []
    private var operatorOutput: [Double] = []
    let hasDeflated: Bool

    struct Parts {
        var residuals: Bool
        var directions: Bool
    }

    struct Step {
        /// Ritz values, descending, m of them.
        var values: [Double]
        /// width × 2m, row-major: the combinations of S's columns that make the next X, then the next P.
        var coefficients: [Double]
    }

    init(rows: Int, blockSize: Int, deflated: [Double]?) {
        self.rows = rows
        self.blockSize = blockSize
        width = 3 * blockSize + 1
        vectors = [Double](repeating: 0, count: rows * width)
        hasDeflated = deflated != nil
        if let deflated {
            // A·u = u: the same column in both.
            for row in 0..<rows { vectors[row * width + width - 1] = deflated[row] }
        }
        images = vectors
        nextVectors = vectors
        nextImages = vectors
    }

    var residualColumns: Range<Int> { (2 * blockSize)..<(3 * blockSize) }

    /// The operator on some columns of S, into the same columns of A·S. They are first copied to rows
    /// of their own: the operator gathers the rows of every point's neighbours, and a short row is one
    /// cache line where a row of S is two.
    mutating func applyOperator(_ apply: LOBPCG.Operator, toColumns columns: Range<Int>) {
        let (width, stride) = (self.width, (columns.count + 3) / 4 * 4)
        if operatorInput.count != rows * stride {
            operatorInput = [Double](repeating: 0, count: rows * stride)
            operatorOutput = operatorInput
        }
        for row in 0..<rows {
            for column in 0..<columns.count { operatorInput[row * stride + column] = vectors[row * width + columns.lowerBound + column] }
        }
        operatorInput.withUnsafeBufferPointer { input in
            operatorOutput.withUnsafeMutableBufferPointer { output in
                apply(input.baseAddress!, stride, output.baseAddress!, stride, columns.count)
            }
        }
        for row in 0..<rows {
            for column in 0..<columns.count { images[row * width + columns.lowerBound + column] = operatorOutput[row * stride + column] }
        }
    }

    /// Sᵀ S and Sᵀ A S (column-major), w × w each, over all of S, u included.
    ///
    /// Each core sums the rank-one products of a run of rows, and the partial sums are added in run
    /// order, so the result does not depend on the schedule. Not BLAS: OpenBLAS splits these w × w
    /// products only along their short sides, its threads spun between calls and took a core from
    /// the passes over the rows, and turning them off means changing a setting the whole process shares.
    private func gramMatrices() -> (gram: [Double], projected: [Double]) {
        let w = width
        let partials = vectors.withUnsafeBufferPointer { vectors in
            images.withUnsafeBufferPointer { images in
                Parallel.mapChunks(of: rows, minimumChunk: 8192) { chunk in
                    var gram = [Double](repeating: 0, count: w * w), projected = gram
                    gram.withUnsafeMutableBufferPointer { gram in
                        projected.withUnsafeMutableBufferPointer { projected in
                            for row in chunk {
                                let s = vectors.baseAddress! + row * w, a = images.baseAddress! + row * w
                                for j in 0..<w {
                                    // Column j: (Sᵀ S)ᵢⱼ += sᵢ sⱼ and (Sᵀ A S)ᵢⱼ += sᵢ (A s)ⱼ, over i.
                                    let (sj, aj) = (s[j], a[j])
                                    let gramColumn = gram.baseAddress! + j * w, projectedColumn = projected.baseAddress! + j * w
                                    for i in 0..<w {
                                        gramColumn[i] += s[i] * sj
                                        projectedColumn[i] += s[i] * aj
                                    }
                                }
                            }
                        }
                    }
                    return (gram, projected)
                }
            }
        }
        var gram = partials[0].0, projected = partials[0].1
        for (partialGram, partialProjected) in partials.dropFirst() {
            for index in gram.indices {
                gram[index] += partialGram[index]
                projected[index] += partialProjected[index]
            }
        }
        return (gram, projected)
    }

    /// The best m vectors of span[X, P, R] (the active parts), less u, as coefficients on S.
    func rayleighRitz(active: Parts) -> Step? {
        let m = blockSize, w = width
        let (gram, projected) = gramMatrices()
        // The columns in play: X, then P and R once they exist, each scaled to unit length.
        var columns = Array(0..<m)
        if active.directions { columns += m..<(2 * m) }
        if active.residuals { columns += (2 * m)..<(3 * m) }
        let u = w - 1
        // With S' = S − u a (a = uᵀS) and A u = u: S'ᵀS' = SᵀS − aᵀa and S'ᵀAS' = SᵀAS − aᵀ(uᵀAS).
        func deflatedGram(_ i: Int, _ j: Int) -> Double { gram[i * w + j] - (hasDeflated ? gram[u * w + i] * gram[u * w + j] : 0) }
        func deflatedProjection(_ i: Int, _ j: Int) -> Double {
            // Column-major: element (i, j) = S_iᵀ (A S)_j.
            projected[j * w + i] - (hasDeflated ? gram[u * w + i] * projected[j * w + u] : 0)
        }
        columns.removeAll { deflatedGram($0, $0) <= 1e-30 }
        let s = columns.count
        guard s >= m else { return nil }
        let scales = columns.map { 1 / deflatedGram($0, $0).squareRoot() }
        var g = [Double](repeating: 0, count: s * s), h = [Double](repeating: 0, count: s * s)
        for i in 0..<s {
            for j in 0..<s {
                g[i * s + j] = deflatedGram(columns[i], columns[j]) * scales[i] * scales[j]
                // Aᵀ = A: the two halves of a rounded product are averaged.
                h[i * s + j] = (deflatedProjection(columns[i], columns[j]) + deflatedProjection(columns[j], columns[i])) / 2
                    * scales[i] * scales[j]
            }
        }
        // An orthonormal basis of the span, as combinations T (s × kept): directions with a negligible
        // share are dropped, which is where P and R stop adding anything new.
        let (gramValues, gramVectors) = symmetricEigen(g.symmetrised(size: s), size: s)
        let kept = gramValues.filter { $0 > 1e-10 * max(gramValues[0], .leastNormalMagnitude) }.count
        guard kept >= m else { return nil }
        var basis = [Double](repeating: 0, count: s * kept)
        for column in 0..<kept {
            let scale = 1 / gramValues[column].squareRoot()
            for row in 0..<s { basis[row * kept + column] = gramVectors[row * s + column] * scale }
        }
        // Tᵀ H T, its top m eigenvectors W, and the Ritz vectors' coefficients T W.
        var reduced = [Double](repeating: 0, count: kept * kept)
        for i in 0..<kept {
            for j in 0..<kept {
                var sum = 0.0
                for p in 0..<s { for q in 0..<s { sum += basis[p * kept + i] * h[p * s + q] * basis[q * kept + j] } }
                reduced[i * kept + j] = sum
            }
        }
        let (ritzValues, ritzVectors) = symmetricEigen(reduced.symmetrised(size: kept), size: kept)
        guard ritzValues.allSatisfy(\.isFinite) else { return nil }
        // On S's columns: X_next = S' C and P_next = S' C with X's rows cleared (Knyazev's P = R C_R + P C_P);
        // S' = S − u a puts −a·C on u's row.
        var coefficients = [Double](repeating: 0, count: w * 2 * m)
        for (position, column) in columns.enumerated() {
            for ritz in 0..<m {
                var value = 0.0
                for k in 0..<kept { value += basis[position * kept + k] * ritzVectors[k * kept + ritz] }
                value *= scales[position]
                coefficients[column * 2 * m + ritz] = value
                if column >= m { coefficients[column * 2 * m + m + ritz] = value }
            }
        }
        if hasDeflated {
            for target in 0..<(2 * m) {
                var overlap = 0.0
                for column in 0..<(w - 1) { overlap += gram[u * w + column] * coefficients[column * 2 * m + target] }
                coefficients[u * 2 * m + target] = -overlap
            }
        }
        return Step(values: Array(ritzValues.prefix(m)), coefficients: coefficients)
    }

    /// Forms the next X, P (and their images) and the residuals R = A X − X Λ, in one pass over the
    /// rows; returns the largest residual norm among the first `watched` columns.
    mutating func advance(by step: Step, watching watched: Int) -> Double {
        let m = blockSize, w = width, outputs = 2 * m, groups = (outputs + 3) / 4
        // The coefficients in groups of four outputs: a row of S (or A S) times them is one SIMD4
        // multiply-add per column and group.
        var grouped = [SIMD4<Double>](repeating: .zero, count: w * groups)
        for column in 0..<w {
            for target in 0..<outputs { grouped[column * groups + target / 4][target % 4] = step.coefficients[column * outputs + target] }
        }
        let values = step.values
        // Column norms are summed per chunk and added in chunk order: reproducible on any schedule.
        let norms = vectors.withUnsafeBufferPointer { vectors in
            images.withUnsafeBufferPointer { images in
                nextVectors.withUnsafeMutableBufferPointer { nextVectors in
                    nextImages.withUnsafeMutableBufferPointer { nextImages in
                        grouped.withUnsafeBufferPointer { grouped in
                            Parallel.mapChunks(of: rows, minimumChunk: 2048) { chunk in
                                var sums = [Double](repeating: 0, count: m)
                                withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 2 * groups) { combined in
                                    for row in chunk {
                                        let s = vectors.baseAddress! + row * w, a = images.baseAddress! + row * w
                                        Self.combine(s, a, grouped.baseAddress!, columns: w, groups: groups, into: combined.baseAddress!)
                                        let x = nextVectors.baseAddress! + row * w, ax = nextImages.baseAddress! + row * w
                                        for target in 0..<outputs {
                                            x[target] = combined[target / 4][target % 4]
                                            ax[target] = combined[groups + target / 4][target % 4]
                                        }
                                        for column in 0..<m {
                                            let residual = ax[column] - values[column] * x[column]
                                            x[2 * m + column] = residual
                                            sums[column] += residual * residual
                                        }
                                    }
                                }
                                return sums
                            }
                        }
                    }
                }
            }
        }
        swap(&vectors, &nextVectors)
        swap(&images, &nextImages)
        var worst = 0.0
        for column in 0..<watched { worst = max(worst, norms.reduce(0) { $0 + $1[column] }.squareRoot()) }
        return worst
    }

    /// One row of S and of A S times the grouped coefficients (`columns` × `groups` vectors): groups
    /// 0..<groups of `combined` from S, the next `groups` from A S.
    ///
    /// Four groups at a time in named accumulators, which stay in registers: summed into memory one
    /// column after another, each sum waited on the store before it, and this pass took twice as long.
    @inline(__always)
    private static func combine(_ s: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ grouped: UnsafePointer<SIMD4<Double>>,
                                columns: Int, groups: Int, into combined: UnsafeMutablePointer<SIMD4<Double>>) {
        for first in stride(from: 0, to: groups, by: 4) {
            let count = min(4, groups - first)
            var (x0, x1, x2, x3) = (SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero)
            var (y0, y1, y2, y3) = (SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero)
            for column in 0..<columns {
                let fromS = SIMD4(repeating: s[column]), fromA = SIMD4(repeating: a[column])
                let coefficients = grouped + column * groups + first
                x0.addProduct(fromS, coefficients[0])
                y0.addProduct(fromA, coefficients[0])
                if count > 1 {
                    x1.addProduct(fromS, coefficients[1])
                    y1.addProduct(fromA, coefficients[1])
                }
                if count > 2 {
                    x2.addProduct(fromS, coefficients[2])
                    y2.addProduct(fromA, coefficients[2])
                }
                if count > 3 {
                    x3.addProduct(fromS, coefficients[3])
                    y3.addProduct(fromA, coefficients[3])
                }
            }
            let (x, y) = (combined + first, combined + groups + first)
            (x[0], y[0]) = (x0, y0)
            if count > 1 { (x[1], y[1]) = (x1, y1) }
            if count > 2 { (x[2], y[2]) = (x2, y2) }
            if count > 3 { (x[3], y[3]) = (x3, y3) }
        }
    }

    /// The first `count` columns of X, row-major.
    func leadingColumns(_ count: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * count)
        for row in 0..<rows { for column in 0..<count { result[row * count + column] = vectors[row * width + column] } }
        return result
    }
}

extension [Double] {
    /// (M + Mᵀ)/2 of a size × size matrix: rounding leaves products like Qᵀ A Q slightly asymmetric.
    func symmetrised(size: Int) -> [Double] {
        var result = self
        for i in 0..<size {
            for j in 0..<i {
                let mean = (self[i * size + j] + self[j * size + i]) / 2
                result[i * size + j] = mean
                result[j * size + i] = mean
            }
        }
        return result
    }
}
