@testable import Analysis
import Testing

@Suite struct ClusterSelectionTests {
    let twoClusters = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
    let nested = HandWorkedTrees.condensed(HandWorkedTrees.nested)

    @Test func excessOfMassKeepsAParentThatOutlivesItsChildren() {
        // A (8.93) beats A1 + A2 (0.77); B is a leaf.
        #expect(nested.selectClusters(parameters: HDBSCANParameters(minClusterSize: 3)).clusters == [13, 14])
    }

    @Test func excessOfMassPassesTheChildrensTotalUpWhenTheyWin() {
        let selection = twoClusters.selectClusters(parameters: HDBSCANParameters(minClusterSize: 3, allowSingleCluster: true))
        // The root (8.25) may be chosen but loses to 15 + 4.5, which replaces its stability.
        #expect(selection.clusters == [11, 12])
        #expect(HandWorkedTrees.isClose(selection.stabilities, [19.5, 15, 4.5]))
    }

    @Test func leafSelectionTakesTheLeaves() {
        let leaf = HDBSCANParameters(minClusterSize: 3, selectionMethod: .leaf)
        #expect(nested.selectClusters(parameters: leaf).clusters == [14, 15, 16])
        #expect(twoClusters.selectClusters(parameters: leaf).clusters == [11, 12])
    }

    @Test func epsilonMergesClustersBornBelowItIntoTheirAncestor() {
        // A1 and A2 are born at distance 0.65 < 0.7: A replaces them; B, born at 3, stays.
        let parameters = HDBSCANParameters(minClusterSize: 3, selectionMethod: .leaf, clusterSelectionEpsilon: 0.7)
        #expect(nested.selectClusters(parameters: parameters).clusters == [13, 14])
    }

    @Test func epsilonNeverClimbsToTheRootUnlessAllowed() {
        let parameters = HDBSCANParameters(minClusterSize: 3, clusterSelectionEpsilon: 1.5)
        #expect(twoClusters.selectClusters(parameters: parameters).clusters == [11, 12])
        var single = parameters
        single.allowSingleCluster = true
        #expect(twoClusters.selectClusters(parameters: single).clusters == [10])
    }

    @Test func aTreeWithoutSplitsSelectsNothing() {
        let flat = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters, minClusterSize: 5)
        #expect(flat.selectClusters(parameters: HDBSCANParameters(minClusterSize: 5)).clusters == [])
        #expect(flat.selectClusters(parameters: HDBSCANParameters(minClusterSize: 5, selectionMethod: .leaf)).clusters == [])
    }
}
