/// How well an embedding keeps the neighbourhoods of the original points (scikit-learn's
/// `sklearn.manifold.trustworthiness`): 1 − 2/(n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ Nₖ(i) in the embedding}
/// max(0, r(i, j) − k), where r(i, j) is j's rank among i's neighbours in the original space.
///
/// 1 means every embedded neighbour was among the k original ones. O(count² · dimension) time.
public func trustworthiness(original: [Float], originalDimension: Int, embedding: [Float], embeddingDimension: Int,
                            k: Int = 15, metric: UMAPMetric = .euclidean) -> Double {
    let count = original.count / originalDimension
    precondition(embedding.count == count * embeddingDimension, "embedding and original differ in count")
    precondition(k < count / 2, "k must be below half the number of points")
    let embedded = NeighborGraph.exact(points: MetricPoints(points: embedding, count: count, dimension: embeddingDimension,
                                                            metric: .euclidean), k: k + 1)
    var penalties = [Int](repeating: 0, count: count)
    penalties.withUnsafeMutableBufferPointer { penalties in
        MetricPoints(points: original, count: count, dimension: originalDimension, metric: metric)
            .forEachSquaredDistanceRow { row, squared in
                var penalty = 0
                for slot in (row * (k + 1) + 1)..<((row + 1) * (k + 1)) {
                    let neighbor = Int(embedded.indices[slot])
                    // Rank from 1 among the other points, as scikit-learn's argsort with the diagonal at ∞.
                    var rank = 1
                    for other in 0..<count where other != row && squared[other] < squared[neighbor] { rank += 1 }
                    penalty += max(0, rank - k)
                }
                penalties[row] = penalty
            }
    }
    let n = Double(count), k = Double(k)
    return 1 - Double(penalties.reduce(0, +)) * 2 / (n * k * (2 * n - 3 * k - 1))
}

/// Leave-one-out k-nearest-neighbour classification accuracy of `labels` in an embedding.
///
/// Each point takes the majority label of its k nearest other points (ties to the smallest label, as
/// scikit-learn's KNeighborsClassifier breaks them); the result is the fraction classified correctly.
public func neighborAccuracy(embedding: [Float], dimension: Int, labels: [Int], k: Int = 10) -> Double {
    let count = labels.count
    precondition(embedding.count == count * dimension && k < count, "embedding, labels and k disagree")
    let graph = NeighborGraph.exact(points: MetricPoints(points: embedding, count: count, dimension: dimension, metric: .euclidean),
                                    k: k + 1)
    var votes: [Int: Int] = [:]
    var correct = 0
    for row in 0..<count {
        votes.removeAll(keepingCapacity: true)
        for slot in (row * (k + 1) + 1)..<((row + 1) * (k + 1)) { votes[labels[Int(graph.indices[slot])], default: 0] += 1 }
        let winner = votes.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        if winner == labels[row] { correct += 1 }
    }
    return Double(correct) / Double(count)
}
