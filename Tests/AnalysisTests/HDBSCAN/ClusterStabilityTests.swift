@testable import Analysis
import Testing

@Suite struct ClusterStabilityTests {
    @Test func stabilitiesOfTheTwoClusterExample() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
        // Root: 9 leaves at 0.25, 7 and 8 at 0.5, 4 + 3 points at 1 → 0.25 + 1 + 7.
        // Cluster 11 (born at 1): 3 at 4, then 0, 1, 2 at 5 → 3 + 12. Cluster 12: 4, 5, 6 at 2.5 → 4.5.
        #expect(HandWorkedTrees.isClose(tree.stabilities, [8.25, 15, 4.5]))
        #expect(HandWorkedTrees.isClose(tree.births, [0, 1, 1]))
        #expect(HandWorkedTrees.isClose(tree.deaths, [1, 5, 2.5]))
    }

    @Test func stabilitiesOfTheNestedExampleMatchHDBSCAN() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.nested)
        #expect(HandWorkedTrees.isClose(tree.stabilities, [3.8666666666666667, 8.925213675213675, 4.0, 0.38461538461538525,
                                           0.38461538461538525], tolerance: 1e-12))
        #expect(tree.childClusters == [[13, 14], [15, 16], [], [], []])
    }
}
