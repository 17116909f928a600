@testable import Analysis
import Testing

@Suite struct KDTreeNeighborsTests {
    /// The k-d tree's k-NN against sorting all distances, on smooth data and on a grid full of ties.
    @Test(arguments: [("gaussian", 2), ("gaussian", 5), ("grid", 2), ("grid", 3)])
    func matchesBruteForce(kind: String, dimension: Int) {
        let count = 300
        let points = kind == "grid" ? HDBSCANTestPoints.grid(count: count, dimension: dimension, side: 6, seed: 3)
            : HDBSCANTestPoints.gaussian(count: count, dimension: dimension, seed: 5)
        let tree = KDTree(points: points, count: count, dimension: dimension, leafSize: 8)
        let k = 16
        let table = tree.nearestNeighbors(k: k)
        let truth = HDBSCANTestPoints.sortedSquaredDistances(points, count: count, dimension: dimension)
        for position in 0..<count {
            let original = tree.order[position]
            let row = Array(table.squaredDistances[(position * k)..<((position + 1) * k)])
            #expect(row == Array(truth[original].prefix(k)))
            // The reported neighbours really are at the reported distances.
            for slot in 0..<k {
                let neighbor = tree.order[table.indices[position * k + slot]]
                #expect(HDBSCANTestPoints.squaredDistance(points, dimension, original, neighbor) == row[slot])
            }
        }
    }

    @Test func aPointIsItsOwnNearestNeighbour() {
        let points = HDBSCANTestPoints.gaussian(count: 300, dimension: 2, seed: 9)
        let tree = KDTree(points: points, count: 300, dimension: 2)
        let table = tree.nearestNeighbors(k: 1)
        #expect(table.indices == Array(0..<300))
        #expect(table.squaredDistances.allSatisfy { $0 == 0 })
    }
}
