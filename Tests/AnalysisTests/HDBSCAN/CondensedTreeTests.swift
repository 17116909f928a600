@testable import Analysis
import Testing

@Suite struct CondensedTreeTests {
    @Test func condensesTheTwoClusterExampleAsHDBSCANDoes() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
        #expect(tree.pointCount == 10)
        #expect(tree.clusterCount == 3)
        #expect(tree.rows == HandWorkedTrees.twoClustersCondensed)
    }

    @Test func condensesTheNestedExampleInBreadthFirstOrder() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.nested)
        #expect(tree.clusterCount == 5)
        #expect(tree.rows.count == HandWorkedTrees.nestedCondensed.count)
        for (ours, expected) in zip(tree.rows, HandWorkedTrees.nestedCondensed) {
            #expect(ours.parent == expected.parent && ours.child == expected.child && ours.childSize == expected.childSize)
            #expect(abs(ours.lambda - expected.lambda) < 1e-12)
        }
    }

    @Test func aLargerMinimumClusterSizeTurnsSplitsIntoPointsFallingOut() {
        // With 5, {4, 5, 6} is too small: nothing splits, every point leaves the root.
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters, minClusterSize: 5)
        #expect(tree.clusterCount == 1)
        #expect(tree.rows.count == 10)
        #expect(tree.rows.allSatisfy { $0.parent == 10 && $0.childSize == 1 })
        #expect(Set(tree.rows.map(\.child)) == Set(0..<10))
    }

    @Test func zeroDistancesBecomeInfiniteDensity() {
        let tree = HandWorkedTrees.condensed([HandWorkedTrees.merge(0, 1, 0, 2)], minClusterSize: 2)
        #expect(tree.rows.map(\.lambda) == [.infinity, .infinity])
    }

    @Test func aSinglePointHasNoRows() {
        let tree = HandWorkedTrees.condensed([])
        #expect(tree.rows.isEmpty && tree.clusterCount == 1 && tree.pointCount == 1)
    }
}
