@testable import Analysis
import Testing

@Suite struct OutlierScoresTests {
    @Test func scoresOfTheTwoClusterExample() {
        // The densest λ under the root is 5 (cluster 11): 9 leaves at 0.25, 7 and 8 at 0.5; point 3
        // leaves 11 at 4 of 5; cluster 12's points all leave at its own densest λ.
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.twoClusters)
        #expect(HandWorkedTrees.isClose(tree.outlierScores, [0, 0, 0, 0.2, 0, 0, 0, 0.9, 0.9, 0.95]))
    }

    @Test func scoresOfTheNestedExampleMatchHDBSCAN() {
        let tree = HandWorkedTrees.condensed(HandWorkedTrees.nested)
        #expect(HandWorkedTrees.isClose(tree.outlierScores, [0, 0, 0, 0, 0, 0, 0.25, 1.0 / 3, 0, 0, 0, 0.88]))
    }

    @Test func duplicatesScoreZeroAndGiveTheRestTheLimitWhereHDBSCANReturnsNaN() {
        let tree = HandWorkedTrees.condensed([HandWorkedTrees.merge(0, 1, 0, 2), HandWorkedTrees.merge(3, 2, 2, 3)],
                                             minClusterSize: 2)
        // 0 and 1 coincide (λ = ∞) and score 0; hdbscan gives point 2 (∞ − 0.5) / ∞ = NaN, the limit is 1.
        #expect(tree.outlierScores == [0, 0, 1])
    }
}
