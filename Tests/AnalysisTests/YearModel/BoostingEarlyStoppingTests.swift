@testable import Analysis
import Testing

@Suite struct BoostingEarlyStoppingTests {
    static let rule = BoostingEarlyStopping(iterationsWithoutChange: 2, tolerance: 0.1)

    @Test func stopsWhenRecentLossesDoNotBeatTheReference() {
        #expect(!Self.rule.shouldStop(losses: [10, 9]))  // too few to judge
        #expect(!Self.rule.shouldStop(losses: [10, 9, 8]))
        #expect(Self.rule.shouldStop(losses: [10, 9, 9, 9]))
        // 8.95 improves on 9 by less than the tolerance of 0.1.
        #expect(Self.rule.shouldStop(losses: [10, 9, 8.95, 8.95]))
        #expect(!Self.rule.shouldStop(losses: [10, 9, 9, 8.8]))
    }

    @Test func validationSplitHoldsOutTheRoundedUpFraction() {
        let split = BoostingEarlyStopping.validationSplit(count: 25, fraction: 0.1, seed: 4)
        #expect(split.validation.count == 3)
        #expect((split.training + split.validation).sorted() == Array(0..<25))
        #expect(split.training == split.training.sorted())
        #expect(BoostingEarlyStopping.validationSplit(count: 25, fraction: 0.1, seed: 4) == split)
        #expect(BoostingEarlyStopping.validationSplit(count: 25, fraction: 0.1, seed: 5).validation != split.validation)
    }
}
