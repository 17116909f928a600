@testable import Analysis
import Foundation
import Testing

@Suite struct LayoutEpochTests {
    /// The lane coefficients are umap-learn's attractive and repulsive gradient coefficients.
    @Test func laneForcesAreUmapsGradientCoefficients() {
        let curve = MembershipCurve(a: 1.577, b: 0.895)
        let context = EpochContext(count: 10, dimension: 2, epoch: 0, alpha: 1, curve: curve, repulsion: 1.5)
        for squared: Float in [0.01, 0.5, 2, 30] {
            let power = pow(squared, curve.b)
            func coefficient(_ forces: LaneForces, lane: Int) -> Float {
                (forces.powerScale[lane] * power + forces.constant[lane]) / ((squared + forces.offset[lane]) * (curve.a * power + 1))
            }
            let attraction = -2 * curve.a * curve.b * pow(squared, curve.b - 1) / (curve.a * power + 1)
            let repulsion = 2 * 1.5 * curve.b / ((0.001 + squared) * (curve.a * power + 1))
            #expect(abs(coefficient(context.pullAndPushes, lane: 0) - attraction) <= 1e-5 * abs(attraction))
            for lane in 1..<8 {
                #expect(abs(coefficient(context.pullAndPushes, lane: lane) - repulsion) <= 1e-5 * repulsion)
                #expect(abs(coefficient(context.pushes, lane: lane - 1) - repulsion) <= 1e-5 * repulsion)
            }
        }
    }
}
