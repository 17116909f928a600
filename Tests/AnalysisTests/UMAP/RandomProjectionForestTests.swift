@testable import Analysis
import Testing

@Suite struct RandomProjectionForestTests {
    @Test func eachTreePartitionsThePointsIntoSmallLeaves() {
        let mixture = GaussianMixture(count: 1_000, dimension: 16, clusters: 5, centreScale: 3)
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: 16, metric: .euclidean)
        let forest = RandomProjectionForest(points: SearchRows(points: points), treeCount: 3, leafSize: 40, seed: 1)
        #expect(forest.members.count == 3 * mixture.count)
        #expect(forest.treeLeaves.count == 3)
        for (tree, leaves) in forest.treeLeaves.enumerated() {
            let members = forest.members[(tree * mixture.count)..<((tree + 1) * mixture.count)]
            #expect(Set(members).count == mixture.count)
            #expect(leaves.flatMap { forest.leaf($0) } == Array(members), "a tree's leaves are its members")
        }
        #expect((0..<forest.leafCount).allSatisfy { forest.leaf($0).count <= 40 && !forest.leaf($0).isEmpty })
        // Points of one leaf come mostly from one cluster: the splits follow the data.
        var sameCluster = 0, pairs = 0
        for leaf in 0..<forest.leafCount {
            let members = Array(forest.leaf(leaf))
            for i in members.indices { for j in members.indices where j > i {
                pairs += 1
                if mixture.labels[Int(members[i])] == mixture.labels[Int(members[j])] { sameCluster += 1 }
            } }
        }
        #expect(Double(sameCluster) / Double(pairs) > 0.9)
    }

    @Test func identicalPointsStillSplit() {
        let points = MetricPoints(points: [Float](repeating: 1, count: 200), count: 100, dimension: 2, metric: .euclidean)
        let forest = RandomProjectionForest(points: SearchRows(points: points), treeCount: 1, leafSize: 10, seed: 2)
        #expect((0..<forest.leafCount).allSatisfy { forest.leaf($0).count <= 10 })
    }

    @Test func seedDecidesTheTrees() {
        let mixture = GaussianMixture(count: 500, dimension: 8)
        let points = MetricPoints(points: mixture.points, count: 500, dimension: 8, metric: .euclidean)
        let first = RandomProjectionForest(points: SearchRows(points: points), treeCount: 4, leafSize: 30, seed: 9)
        #expect(first.members == RandomProjectionForest(points: SearchRows(points: points), treeCount: 4, leafSize: 30, seed: 9).members)
        #expect(first.members != RandomProjectionForest(points: SearchRows(points: points), treeCount: 4, leafSize: 30, seed: 10).members)
    }
}
