@testable import Analysis
import Foundation
import Testing

@Suite struct NNDescentTests {
    static func recall(_ approximate: NeighborGraph, _ exact: NeighborGraph) -> Double {
        var found = 0
        for row in 0..<exact.count {
            let truth = Set(exact.indices[(row * exact.k)..<((row + 1) * exact.k)])
            found += approximate.indices[(row * exact.k)..<((row + 1) * exact.k)].filter(truth.contains).count
        }
        return Double(found) / Double(exact.indices.count)
    }

    /// Clusters with centres N(0, 1) in 128-d. (With centres N(0, 0.3²) the clusters overlap so much
    /// that the neighbours are nearly random: pynndescent's recall there is 0.88 euclidean and 0.69
    /// cosine, and this implementation's is the same.)
    @Test(arguments: UMAPMetric.allCases)
    func recallAgainstExactNeighbours(metric: UMAPMetric) {
        let mixture = GaussianMixture(count: 5_000, dimension: 128, centreScale: 1)
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: mixture.dimension, metric: metric)
        let approximate = NeighborGraph.descent(points: points, k: 15, seed: 1)
        let exact = NeighborGraph.exact(points: points, k: 15)
        let recall = Self.recall(approximate, exact)
        #expect(recall >= 0.9, "recall@15 \(recall)")
        for row in 0..<mixture.count {
            #expect(approximate.indices[row * 15] == Int32(row))
            let distances = Array(approximate.distances[(row * 15)..<((row + 1) * 15)])
            #expect(distances == distances.sorted())
        }
    }

    @Test func sameSeedSameGraph() {
        let mixture = GaussianMixture(count: 2_000, dimension: 32)
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: 32, metric: .euclidean)
        #expect(NeighborGraph.descent(points: points, k: 10, seed: 4) == NeighborGraph.descent(points: points, k: 10, seed: 4))
    }

    /// The size umap-learn's benchmark reaches, in its 512 dimensions. Soak only (SOUNDMAP_SOAK=1):
    /// the exact reference alone is a 50,000² × 512 product. Clusters this wide in 512-d make every
    /// point's neighbours nearly random; pynndescent 0.7 (umap-learn's settings, seed 1) reaches
    /// recall 0.869 here, so the bar is set near it rather than at 0.9 (this code: 0.853).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SOUNDMAP_SOAK"] == "1"))
    func recallAtFiftyThousandPoints() {
        let mixture = GaussianMixture(count: 50_000, dimension: 512, centreScale: 1)
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: mixture.dimension, metric: .euclidean)
        let recall = Self.recall(NeighborGraph.descent(points: points, k: 15, seed: 1), NeighborGraph.exact(points: points, k: 15))
        #expect(recall >= 0.84, "recall@15 \(recall)")
    }
}
