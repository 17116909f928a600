@testable import Analysis
import ModelCore
import Testing

@Suite struct AdjustedRandIndexTests {
    @Test func isOneForTheSamePartitionUnderOtherNames() {
        #expect(HDBSCAN.adjustedRandIndex([0, 0, 1, 1, -1, 2], [5, 5, -1, -1, 3, 7]) == 1)
        #expect(HDBSCAN.adjustedRandIndex([], []) == 1)
    }

    @Test func matchesScikitLearn() {
        // sklearn.metrics.adjusted_rand_score on the same labellings.
        #expect(abs(HDBSCAN.adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285714) < 1e-12)
        #expect(abs(HDBSCAN.adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2]) - 0.24242424242424243) < 1e-12)
        #expect(abs(HDBSCAN.adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-12)
    }

    @Test func isNearZeroForUnrelatedLabellings() {
        var random = SeededRandom(seed: 12)
        let first = (0..<5_000).map { _ in Int.random(in: 0..<6, using: &random) }
        let second = (0..<5_000).map { _ in Int.random(in: 0..<6, using: &random) }
        #expect(abs(HDBSCAN.adjustedRandIndex(first, second)) < 0.01)
    }
}
