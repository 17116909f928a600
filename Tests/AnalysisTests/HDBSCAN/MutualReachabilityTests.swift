@testable import Analysis
import Testing

@Suite struct MutualReachabilityTests {
    @Test func isTheLargestOfTheDistanceAndBothCoreDistances() {
        let reachability = HDBSCAN.MutualReachability(squaredCoreDistances: [1, 4, 9], alpha: 1)
        #expect(reachability.squared(16, 0, 1) == 16)
        #expect(reachability.squared(2, 0, 1) == 4)
        #expect(reachability.squared(2, 2, 0) == 9)
        #expect(reachability.squared(0, 0, 0) == 1)
    }

    @Test func alphaShrinksTheDistanceButNotTheCores() {
        let reachability = HDBSCAN.MutualReachability(squaredCoreDistances: [1, 1], alpha: 2)
        // d = 6 → 6 / 2 = 3, squared 9; d = 1 → ½ loses to the core distance 1.
        #expect(reachability.squared(36, 0, 1) == 9)
        #expect(reachability.squared(1, 0, 1) == 1)
    }
}
