@testable import Analysis
import Testing

@Suite struct ClusterLabellingTests {
    @Test func labelsProbabilitiesAndPersistenceOfTheTwoClusterExample() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
        let parameters = HDBSCANParameters(minClusterSize: 3)
        let selection = tree.selectClusters(parameters: parameters)
        let labels = tree.labels(selected: selection.clusters, parameters: parameters)
        #expect(labels == [0, 0, 0, 0, 1, 1, 1, -1, -1, -1])
        // Point 3 leaves cluster 11 at λ 4 of its death at 5.
        #expect(HandWorkedTrees.isClose(tree.membershipProbabilities(labels: labels, selected: selection.clusters),
                        [1, 1, 1, 0.8, 1, 1, 1, 0, 0, 0]))
        // 15 / (4 points · densest λ 5) and 4.5 / (3 · 5).
        #expect(HandWorkedTrees.isClose(tree.persistences(labels: labels, selected: selection.clusters, stabilities: selection.stabilities),
                        [0.75, 0.3]))
    }

    @Test func pointsOfUnselectedDescendantsJoinTheSelectedAncestor() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.nested)
        let parameters = HDBSCANParameters(minClusterSize: 3)
        let selection = tree.selectClusters(parameters: parameters)
        let labels = tree.labels(selected: selection.clusters, parameters: parameters)
        #expect(labels == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, -1])
        #expect(HandWorkedTrees.isClose(tree.membershipProbabilities(labels: labels, selected: selection.clusters),
                        [1, 1, 1, 1, 1, 1, 0.8125, 0.7222222222222222, 1, 1, 1, 0]))
        #expect(HandWorkedTrees.isClose(tree.persistences(labels: labels, selected: selection.clusters, stabilities: selection.stabilities),
                        [0.66939103, 0.8], tolerance: 1e-8))
    }

    @Test func theRootAloneKeepsOnlyPointsDenserThanEpsilon() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
        let parameters = HDBSCANParameters(minClusterSize: 3, allowSingleCluster: true, clusterSelectionEpsilon: 1.5)
        let selection = tree.selectClusters(parameters: parameters)
        let labels = tree.labels(selected: selection.clusters, parameters: parameters)
        // 7, 8 (λ 0.5) and 9 (λ 0.25) leave below 1 / 1.5.
        #expect(labels == [0, 0, 0, 0, 0, 0, 0, -1, -1, -1])
        #expect(HandWorkedTrees.isClose(tree.membershipProbabilities(labels: labels, selected: selection.clusters),
                        [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]))
        // The root carries its children's total, 19.5, over 7 points · 5.
        #expect(HandWorkedTrees.isClose(tree.persistences(labels: labels, selected: selection.clusters, stabilities: selection.stabilities),
                        [19.5 / 35]))
    }

    @Test func infiniteDensityMakesPersistenceOne() {
        let tree = HandWorkedTrees.condensed([HandWorkedTrees.merge(0, 1, 0, 2), HandWorkedTrees.merge(2, 3, 0, 2),
                                              HandWorkedTrees.merge(4, 5, 1, 4)], minClusterSize: 2)
        let parameters = HDBSCANParameters(minClusterSize: 2)
        let selection = tree.selectClusters(parameters: parameters)
        let labels = tree.labels(selected: selection.clusters, parameters: parameters)
        #expect(labels == [0, 0, 1, 1])
        #expect(tree.persistences(labels: labels, selected: selection.clusters, stabilities: selection.stabilities) == [1, 1])
        #expect(tree.membershipProbabilities(labels: labels, selected: selection.clusters) == [1, 1, 1, 1])
    }
}
