@testable import Analysis
import Testing

/// a, b of the embedding's membership curve against umap-learn's find_ab_params.
@Suite struct CurveFitTests {
    @Test func matchesUmapLearn() throws {
        for curve in try UMAPFixtures.load().curves {
            let fitted = MembershipCurve(minDistance: curve.minDistance, spread: curve.spread)
            #expect(abs(fitted.a - curve.a) <= 2e-3 * curve.a, "a for min_dist \(curve.minDistance), spread \(curve.spread)")
            #expect(abs(fitted.b - curve.b) <= 2e-3 * curve.b, "b for min_dist \(curve.minDistance), spread \(curve.spread)")
        }
    }

    @Test func defaultsGiveTheKnownValues() {
        let fitted = MembershipCurve(minDistance: 0.1, spread: 1)
        #expect(abs(fitted.a - 1.577) < 0.01 && abs(fitted.b - 0.895) < 0.01)
    }
}
