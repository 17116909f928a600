import Foundation

/// The symmetric fuzzy simplicial set: membership strengths in (0, 1] as a sparse CSR matrix.
struct FuzzyGraph: Sendable, Equatable {
    let count: Int
    /// Start of each row's entries in `columns`/`weights`, plus the end.
    var rowStarts: [Int]
    /// Columns ascending within each row.
    var columns: [Int32]
    var weights: [Float]

    /// umap's fuzzy_simplicial_set: memberships exp(−(dᵢⱼ − ρᵢ)/σᵢ) (1 within ρ, 0 for the point itself),
    /// then the fuzzy union W + Wᵀ − W∘Wᵀ (set_op_mix_ratio 1), zeros dropped.
    init(neighbors graph: NeighborGraph, smooth: SmoothDistances) {
        let k = graph.k, count = graph.count
        // Directed memberships, and for each row the entries pointing at it (the transpose).
        var incomingStarts = [Int](repeating: 0, count: count + 1)
        for neighbor in graph.indices { incomingStarts[Int(neighbor) + 1] += 1 }
        for row in 0..<count { incomingStarts[row + 1] += incomingStarts[row] }
        var incoming = [(source: Int32, weight: Float)](repeating: (0, 0), count: graph.indices.count)
        var fill = incomingStarts
        var outgoing = [Float](repeating: 0, count: graph.indices.count)
        for row in 0..<count {
            for slot in (row * k)..<((row + 1) * k) {
                let neighbor = Int(graph.indices[slot])
                let excess = graph.distances[slot] - smooth.rho[row]
                let weight: Float = neighbor == row ? 0
                    : (excess <= 0 || smooth.sigma[row] == 0 ? 1 : exp(-excess / smooth.sigma[row]))
                outgoing[slot] = weight
                incoming[fill[neighbor]] = (Int32(row), weight)
                fill[neighbor] += 1
            }
        }
        self.count = count
        rowStarts = [0]
        columns = []
        weights = []
        columns.reserveCapacity(2 * graph.indices.count)
        weights.reserveCapacity(2 * graph.indices.count)
        var merged: [Int32: (forward: Float, backward: Float)] = [:]
        for row in 0..<count {
            merged.removeAll(keepingCapacity: true)
            for slot in (row * k)..<((row + 1) * k) {
                merged[graph.indices[slot], default: (0, 0)].forward = outgoing[slot]
            }
            for entry in incoming[incomingStarts[row]..<incomingStarts[row + 1]] {
                merged[entry.source, default: (0, 0)].backward = entry.weight
            }
            for column in merged.keys.sorted() {
                let (forward, backward) = merged[column]!
                let union = forward + backward - forward * backward
                if union > 0 {
                    columns.append(column)
                    weights.append(union)
                }
            }
            rowStarts.append(columns.count)
        }
    }

    init(count: Int, rowStarts: [Int], columns: [Int32], weights: [Float]) {
        self.count = count
        self.rowStarts = rowStarts
        self.columns = columns
        self.weights = weights
    }

    /// Column indices and weights of one row.
    func row(_ row: Int) -> (columns: ArraySlice<Int32>, weights: ArraySlice<Float>) {
        let range = rowStarts[row]..<rowStarts[row + 1]
        return (columns[range], weights[range])
    }
}
