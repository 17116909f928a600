@testable import Analysis
import Testing

@Suite struct NNDescentJoinTests {
    @Test func joiningEveryPairGivesTheExactNeighbours() {
        let mixture = GaussianMixture(count: 120, dimension: 8, clusters: 3, centreScale: 2)
        let points = MetricPoints(points: mixture.points, count: 120, dimension: 8, metric: .euclidean)
        var state = NNDescentState(points: SearchRows(points: points), k: 10)
        let everyone = (0..<Int32(120)).map { $0 }
        let changes = state.join(JoinGroups(lists: [(everyone, [])]))
        #expect(changes >= 120 * 9)
        let joined = state.heaps.finished(points: points, searchOrder: everyone), exact = NeighborGraph.exact(points: points, k: 10)
        for row in 0..<120 {
            #expect(Set(joined.indices[(row * 10)..<((row + 1) * 10)]) == Set(exact.indices[(row * 10)..<((row + 1) * 10)]))
        }
        // Joined again, nothing improves.
        #expect(state.join(JoinGroups(lists: [(everyone, [])])) == 0)
    }

    @Test func newEntriesAreFlaggedAndEmptySlotsFilled() {
        let mixture = GaussianMixture(count: 50, dimension: 4, clusters: 2)
        let points = MetricPoints(points: mixture.points, count: 50, dimension: 4, metric: .euclidean)
        var state = NNDescentState(points: SearchRows(points: points), k: 6)
        state.join(JoinGroups(lists: [([0, 1, 2], [])]))
        #expect(state.heaps.isNew[0..<6].filter { $0 }.count == 2, "point 0 gained 1 and 2")
        state.fillEmptySlots(seed: 1)
        #expect(state.heaps.indices.allSatisfy { $0 >= 0 })
    }

    @Test func forestLeavesBecomeGroupsOfNewPointsRenumbered() {
        let mixture = GaussianMixture(count: 200, dimension: 8, clusters: 2)
        let points = MetricPoints(points: mixture.points, count: 200, dimension: 8, metric: .euclidean)
        let forest = RandomProjectionForest(points: SearchRows(points: points), treeCount: 2, leafSize: 20, seed: 4)
        let position = (0..<Int32(200)).map { 199 - $0 }
        let leaves = 3..<(forest.leafCount - 2)
        let groups = JoinGroups(leaves: leaves, of: forest, renumberedBy: position)
        #expect(groups.count == leaves.count)
        for (group, leaf) in leaves.enumerated() {
            #expect(Array(groups.fresh(group)) == forest.leaf(leaf).map { position[Int($0)] })
            #expect(groups.old(group).isEmpty)
        }
    }

    @Test func disjointGroupsGoStraightIntoTheHeapsWithTheSameResult() {
        let mixture = GaussianMixture(count: 600, dimension: 16, clusters: 4)
        let points = MetricPoints(points: mixture.points, count: 600, dimension: 16, metric: .euclidean)
        let forest = RandomProjectionForest(points: SearchRows(points: points), treeCount: 3, leafSize: 30, seed: 9)
        let identity = (0..<Int32(600)).map { $0 }
        var listed = NNDescentState(points: SearchRows(points: points), k: 8), direct = listed
        for leaves in forest.treeLeaves {
            let groups = JoinGroups(leaves: leaves, of: forest, renumberedBy: identity)
            #expect(listed.join(groups) == direct.joinDisjoint(groups))
        }
        #expect(direct.heaps.indices == listed.heaps.indices)
        #expect(direct.heaps.distances == listed.heaps.distances)
        #expect(direct.heaps.isNew == listed.heaps.isNew)
        #expect(direct.heaps.indices.filter { $0 >= 0 }.count > 600 * 4, "the leaves filled most slots")
    }

    @Test func newPointsAreJoinedWithOldOnesButOldPointsNotWithEachOther() {
        let mixture = GaussianMixture(count: 40, dimension: 4, clusters: 2)
        let points = MetricPoints(points: mixture.points, count: 40, dimension: 4, metric: .euclidean)
        var state = NNDescentState(points: SearchRows(points: points), k: 4)
        state.join(JoinGroups(lists: [([0], [1, 2, 3])]))
        for row in 1..<4 {
            let others = state.heaps.indices[(row * 4)..<((row + 1) * 4)].filter { $0 >= 0 && $0 != Int32(row) }
            #expect(others == [0], "old point \(row) meets only the new one")
        }
    }
}
