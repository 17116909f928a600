/// The edges the layout samples and how often: umap's make_epochs_per_sample.
///
/// An edge of weight w is sampled every max(w)/w epochs, so the strongest edge moves every epoch.
struct EpochSchedule: Sendable, Equatable {
    /// Edge endpoints in row order of the graph, so each vertex's outgoing edges are contiguous.
    var heads: [Int32]
    var tails: [Int32]
    var epochsPerSample: [Double]
    /// Start of each vertex's edges in the arrays above, plus the end.
    var vertexStarts: [Int]

    init(graph: FuzzyGraph) {
        let strongest = Double(graph.weights.max() ?? 1)
        heads = []
        tails = []
        epochsPerSample = []
        vertexStarts = [0]
        for row in 0..<graph.count {
            let (columns, weights) = graph.row(row)
            for (column, weight) in zip(columns, weights) {
                heads.append(Int32(row))
                tails.append(column)
                epochsPerSample.append(strongest / Double(weight))
            }
            vertexStarts.append(heads.count)
        }
    }
}

extension FuzzyGraph {
    /// The graph without edges too weak to be sampled once in `epochs` (weight < max / epochs), as
    /// umap-learn prunes it before the initialisation and the layout.
    func pruned(epochs: Int) -> FuzzyGraph {
        let threshold = (weights.max() ?? 0) / Float(epochs)
        var rowStarts = [0], columns: [Int32] = [], weights: [Float] = []
        for row in 0..<count {
            for entry in self.rowStarts[row]..<self.rowStarts[row + 1] where self.weights[entry] >= threshold {
                columns.append(self.columns[entry])
                weights.append(self.weights[entry])
            }
            rowStarts.append(columns.count)
        }
        return FuzzyGraph(count: count, rowStarts: rowStarts, columns: columns, weights: weights)
    }
}
