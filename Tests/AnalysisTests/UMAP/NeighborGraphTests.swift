@testable import Analysis
import Testing

@Suite struct NeighborGraphTests {
    @Test func heapKeepsTheNearestDistinctCandidates() {
        var indices = [Int32](repeating: -1, count: 3), distances = [Float](repeating: .infinity, count: 3)
        var admitted: [Bool] = []
        for (candidate, distance) in [(Int32(5), Float(4)), (7, 1), (5, 0.5), (9, 3), (2, 2), (8, 5)] {
            admitted.append(pushNeighbor(candidate, distance: distance, isNew: true, k: 3, indices: &indices,
                                         distances: &distances, flags: nil))
        }
        // 5 again is a duplicate; 2 displaces 5 (the farthest); 8 is too far.
        #expect(admitted == [true, true, false, true, true, false])
        #expect(Set(indices) == [7, 9, 2])
        #expect(distances[0] == 3, "the root holds the farthest")
    }

    @Test func finishedSortsRowsAndPutsEachPointFirst() {
        var heaps = NeighborHeaps(count: 3, k: 3)
        heaps.indices = [2, 0, 1, 0, 1, 2, 2, 0, 1]
        heaps.distances = [4, 0, 1, 9, 0, 16, 0, 16, 1]
        let points = MetricPoints(points: [0, 0, 0], count: 3, dimension: 1, metric: .euclidean)
        let graph = heaps.finished(points: points)
        #expect(graph.indices == [0, 1, 2, 1, 0, 2, 2, 1, 0])
        #expect(graph.distances == [0, 1, 2, 0, 3, 4, 0, 1, 4])
    }

    /// A search run on points in the order [2, 0, 1] reports, for its point 0 (originally 2), the
    /// neighbours 1 and 2 of its own numbering: originally 0 and 1. Their distances are measured
    /// again on the points; the search's own (here nonsense) do not count.
    @Test func searchResultsAreRenumberedAndMeasuredAgain() {
        var heaps = NeighborHeaps(count: 3, k: 3)
        heaps.indices = [0, 1, 2, 1, 0, 2, 2, 1, 0]
        heaps.distances = [-.infinity, 7, 5, -.infinity, 7, 5, -.infinity, 7, 5]
        let points = MetricPoints(points: [0, 1, 3], count: 3, dimension: 1, metric: .euclidean)
        let graph = heaps.finished(points: points, searchOrder: [2, 0, 1])
        #expect(graph.indices == [0, 1, 2, 1, 0, 2, 2, 1, 0])
        #expect(graph.distances == [0, 1, 3, 0, 1, 2, 0, 2, 3])
    }
}
