@testable import Analysis
import Testing

@Suite struct NeighborTableTests {
    @Test func nearestListKeepsTheKSmallestInOrderAndTheFirstOfEqualOnes() {
        var distances = [Double](repeating: 0, count: 3)
        var indices = [Int](repeating: 0, count: 3)
        distances.withUnsafeMutableBufferPointer { distances in
            indices.withUnsafeMutableBufferPointer { indices in
                let list = HDBSCAN.NearestList(distances: distances, indices: indices)
                #expect(list.bound == .infinity)
                for (distance, index) in [(5.0, 0), (1.0, 1), (3.0, 2), (1.0, 3), (0.5, 4), (3.0, 5)] {
                    list.insert(distance, index)
                }
            }
        }
        #expect(distances == [0.5, 1, 1])
        #expect(indices == [4, 1, 3])
    }

    @Test func coreDistanceIsTheLastColumn() {
        let table = HDBSCAN.NeighborTable(k: 3, indices: [0, 1, 2, 1, 0, 2], squaredDistances: [0, 1, 4, 0, 1, 9])
        #expect(table.count == 2)
        #expect(table.squaredCoreDistances == [4, 9])
    }
}
