import Foundation

/// The normalised temperature-scaled cross-entropy of SimCLR/CLMR.
///
/// Shapes: projections [2B, D], rows 0..<B one view of B clips and rows B..<2B the other
/// view of the same clips in the same order. Each row's positive is its other view; the
/// other 2B − 2 rows are its negatives. Loss is the mean over all 2B rows.
public enum NTXent {
    public struct Cache: Sendable {
        var normalized: Tensor
        var norms: [Float]
        var probabilities: [Float]
    }

    public static func forward(_ projections: Tensor, temperature: Float) -> (loss: Float, cache: Cache) {
        let (rows, dimension) = (projections.shape[0], projections.shape[1])
        precondition(rows % 2 == 0 && rows >= 2, "NT-Xent needs an even number of rows (two views), got \(rows)")
        let half = rows / 2
        var normalized = projections
        var norms = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            let slice = (row * dimension)..<((row + 1) * dimension)
            norms[row] = max(1e-12, slice.reduce(Float(0)) { $0 + projections.values[$1] * projections.values[$1] }.squareRoot())
            for index in slice { normalized.values[index] /= norms[row] }
        }
        var similarity = [Float](repeating: 0, count: rows * rows)
        normalized.values.withUnsafeBufferPointer { z in
            similarity.withUnsafeMutableBufferPointer { s in
                gemm(rows, rows, dimension, z.baseAddress!, z.baseAddress!, transposeB: true, s.baseAddress!, alpha: 1 / temperature)
            }
        }
        var probabilities = [Float](repeating: 0, count: rows * rows)
        var loss = 0.0
        for row in 0..<rows {
            let positive = (row + half) % rows
            var peak = -Float.infinity
            for column in 0..<rows where column != row { peak = max(peak, similarity[row * rows + column]) }
            var total: Double = 0
            for column in 0..<rows where column != row {
                let value = exp(Double(similarity[row * rows + column] - peak))
                probabilities[row * rows + column] = Float(value)
                total += value
            }
            for column in 0..<rows where column != row { probabilities[row * rows + column] /= Float(total) }
            loss -= log(Double(probabilities[row * rows + positive]))
        }
        return (Float(loss / Double(rows)), Cache(normalized: normalized, norms: norms, probabilities: probabilities))
    }

    /// Gradient with respect to the projections, through the row normalisation.
    public static func backward(cache: Cache, temperature: Float) -> Tensor {
        let rows = cache.norms.count
        let dimension = cache.normalized.count / rows
        let half = rows / 2
        // dL/dS[i, j] = (P[i, j] − [j = positive(i)]) / (2B), S = Z Zᵀ / τ.
        var similarityGradient = cache.probabilities
        for row in 0..<rows {
            similarityGradient[row * rows + (row + half) % rows] -= 1
            for column in 0..<rows { similarityGradient[row * rows + column] /= Float(rows) }
        }
        // dZ = (G + Gᵀ) · Z / τ
        var symmetric = similarityGradient
        for row in 0..<rows {
            for column in 0..<rows {
                symmetric[row * rows + column] = similarityGradient[row * rows + column] + similarityGradient[column * rows + row]
            }
        }
        var normalizedGradient = [Float](repeating: 0, count: rows * dimension)
        symmetric.withUnsafeBufferPointer { g in
            cache.normalized.values.withUnsafeBufferPointer { z in
                normalizedGradient.withUnsafeMutableBufferPointer { dz in
                    gemm(rows, dimension, rows, g.baseAddress!, z.baseAddress!, dz.baseAddress!, alpha: 1 / temperature)
                }
            }
        }
        // z = x/‖x‖ ⇒ dx = (dz − z·(z·dz)) / ‖x‖
        var gradient = Tensor(zeros: [rows, dimension])
        for row in 0..<rows {
            let slice = (row * dimension)..<((row + 1) * dimension)
            let dot = slice.reduce(Float(0)) { $0 + cache.normalized.values[$1] * normalizedGradient[$1] }
            for index in slice {
                gradient.values[index] = (normalizedGradient[index] - cache.normalized.values[index] * dot) / cache.norms[row]
            }
        }
        return gradient
    }
}
