@testable import Analysis
import Testing

/// The facade end to end: edge cases, reproducibility, the high-dimensional path and progress.
@Suite struct HDBSCANTests {
    static let centres: [[Float]] = [[0, 0], [8, 0], [0, 8], [8, 8]]
    static let fourBlobs = HDBSCANTestPoints.blobs(centres: centres, perBlob: 150, spread: 0.6, seed: 42)

    @Test(arguments: [HDBSCAN.SpanningTreeAlgorithm.prim, .boruvka])
    func findsFourSeparateBlobs(spanningTree: HDBSCAN.SpanningTreeAlgorithm) {
        let result = HDBSCAN.cluster(points: Self.fourBlobs, count: 600, dimension: 2,
                                     parameters: HDBSCANParameters(minClusterSize: 20), spanningTree: spanningTree)
        #expect(result.clusterCount == 4)
        let truth = (0..<600).map { $0 / 150 }
        // A few fringe points may be noise; everything else sits in its own blob.
        #expect(HDBSCAN.adjustedRandIndex(result.labels.map { $0 == -1 ? 100 : $0 }, truth) > 0.95)
        #expect(result.probabilities.allSatisfy { (0...1).contains($0) })
        #expect(result.outlierScores.allSatisfy { (0...1).contains($0) })
        #expect(result.clusterStabilities.allSatisfy { $0 > 0 && $0 <= 1 })
    }

    @Test func primAndBorůvkaAgreeUpToTies() {
        // Mutual reachability ties often (an edge weighs its end's core distance), and two minimum
        // spanning trees may join a tied point to different sides: a handful of points may differ.
        let parameters = HDBSCANParameters(minClusterSize: 10, minSamples: 5)
        let prim = HDBSCAN.cluster(points: Self.fourBlobs, count: 600, dimension: 2, parameters: parameters, spanningTree: .prim)
        let boruvka = HDBSCAN.cluster(points: Self.fourBlobs, count: 600, dimension: 2, parameters: parameters, spanningTree: .boruvka)
        #expect(prim.clusterCount == boruvka.clusterCount)
        #expect(HDBSCAN.adjustedRandIndex(prim.labels, boruvka.labels) > 0.99)
    }

    @Test func isReproducible() {
        let points = HDBSCANTestPoints.blobs(centres: Self.centres + [[4, 4]], perBlob: 2_000, spread: 1.2, seed: 7)
        let first = HDBSCAN.cluster(points: points, count: 10_000, dimension: 2)
        for _ in 0..<2 { #expect(HDBSCAN.cluster(points: points, count: 10_000, dimension: 2) == first) }
    }

    @Test func clustersHighDimensionalInputByBruteForceAndPrim() {
        let centres: [[Float]] = (0..<3).map { blob in (0..<30).map { $0 % 3 == blob ? 6 : 0 } }
        let points = HDBSCANTestPoints.blobs(centres: centres, perBlob: 100, spread: 0.5, seed: 5)
        #expect(HDBSCAN.SpanningTreeAlgorithm.automatic(count: 300, dimension: 30) == .prim)
        let result = HDBSCAN.cluster(points: points, count: 300, dimension: 30, parameters: HDBSCANParameters(minClusterSize: 15))
        #expect(result.clusterCount == 3)
        #expect(HDBSCAN.adjustedRandIndex(result.labels, (0..<300).map { $0 / 100 }) > 0.9)
    }

    @Test func duplicatePointsFormTheirOwnClusterWithoutNaNs() {
        let spread = HDBSCANTestPoints.blobs(centres: [[0, 0], [10, 10]], perBlob: 100, spread: 1, seed: 3)
        let points = spread + [Float](repeating: 5, count: 2 * 40)
        let result = HDBSCAN.cluster(points: points, count: 240, dimension: 2, parameters: HDBSCANParameters(minClusterSize: 10))
        #expect(result.clusterCount == 3)
        #expect(Set(result.labels[200...]).count == 1 && result.labels[200] != -1)
        #expect(result.probabilities[200...].allSatisfy { $0 == 1 })
        #expect(result.outlierScores.allSatisfy { !$0.isNaN } && result.probabilities.allSatisfy { !$0.isNaN })
    }

    @Test(arguments: [HDBSCAN.SpanningTreeAlgorithm.prim, .boruvka])
    func allIdenticalPointsAreOneUnselectableRootSoNoise(spanningTree: HDBSCAN.SpanningTreeAlgorithm) {
        let result = HDBSCAN.cluster(points: [Float](repeating: 1, count: 3 * 1_000), count: 1_000, dimension: 3,
                                     parameters: HDBSCANParameters(minClusterSize: 10), spanningTree: spanningTree)
        #expect(result.noiseCount == 1_000 && result.clusterCount == 0)
        #expect(result.outlierScores.allSatisfy { $0 == 0 })
    }

    @Test func nonFinitePointsAreSetAsideAsNoise() {
        var points = Self.fourBlobs
        points[2 * 10] = .nan
        points[2 * 400 + 1] = .infinity
        let result = HDBSCAN.cluster(points: points, count: 600, dimension: 2, parameters: HDBSCANParameters(minClusterSize: 20))
        let finite = (0..<600).filter { $0 != 10 && $0 != 400 }
        let clean = HDBSCAN.cluster(points: finite.flatMap { Self.fourBlobs[(2 * $0)..<(2 * $0 + 2)] }, count: 598,
                                    dimension: 2, parameters: HDBSCANParameters(minClusterSize: 20))
        #expect(result.labels[10] == -1 && result.labels[400] == -1)
        #expect(result.probabilities[10] == 0 && result.outlierScores[400] == 1)
        #expect(finite.map { result.labels[$0] } == clean.labels)
        #expect(finite.map { result.outlierScores[$0] } == clean.outlierScores)
        #expect(result.clusterStabilities == clean.clusterStabilities)
    }

    @Test(arguments: [0, 1, 2, 14])
    func fewerPointsThanMinClusterSizeAreAllNoise(count: Int) {
        let points = Array(Self.fourBlobs.prefix(2 * count))
        let result = HDBSCAN.cluster(points: points, count: count, dimension: 2, parameters: HDBSCANParameters(minClusterSize: 15))
        #expect(result.labels == [Int](repeating: -1, count: count))
        #expect(result.probabilities.allSatisfy { $0 == 0 } && result.clusterCount == 0)
        #expect(result.outlierScores.count == count && result.outlierScores.allSatisfy { (0...1).contains($0) })
    }

    @Test func reportsProgressFromStartToFinish() {
        var fractions: [Double] = []
        _ = HDBSCAN.cluster(points: Self.fourBlobs, count: 600, dimension: 2) { fractions.append($0) }
        #expect(fractions == fractions.sorted())
        #expect(fractions.first.map { $0 > 0 && $0 < 0.5 } == true && fractions.last == 1)
    }
}
