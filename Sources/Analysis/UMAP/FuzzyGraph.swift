import Foundation
import ModelCore

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
        // Rows are merged in pieces on all cores, each piece a run of CSR rows of its own.
        let pieces = Parallel.mapChunks(of: count, minimumChunk: 4096) { rows in
            var piece = (lengths: [Int](), columns: [Int32](), weights: [Float]())
            var entries: [(column: Int32, forward: Float, backward: Float)] = []
            for row in rows {
                entries.removeAll(keepingCapacity: true)
                for slot in (row * k)..<((row + 1) * k) { entries.append((graph.indices[slot], outgoing[slot], 0)) }
                for entry in incoming[incomingStarts[row]..<incomingStarts[row + 1]] { entries.append((entry.source, 0, entry.weight)) }
                // A column appears at most once in each direction, so its two memberships add up exactly.
                entries.sort { $0.column < $1.column }
                let before = piece.columns.count
                var index = 0
                while index < entries.count {
                    let column = entries[index].column
                    var forward: Float = 0, backward: Float = 0
                    while index < entries.count, entries[index].column == column {
                        forward += entries[index].forward
                        backward += entries[index].backward
                        index += 1
                    }
                    let union = forward + backward - forward * backward
                    if union > 0 {
                        piece.columns.append(column)
                        piece.weights.append(union)
                    }
                }
                piece.lengths.append(piece.columns.count - before)
            }
            return piece
        }
        self.count = count
        rowStarts = [0]
        rowStarts.reserveCapacity(count + 1)
        columns = pieces.flatMap(\.columns)
        weights = pieces.flatMap(\.weights)
        for length in pieces.lazy.flatMap(\.lengths) { rowStarts.append(rowStarts[rowStarts.count - 1] + length) }
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
