@testable import Analysis
import Foundation
import Testing

@Suite struct LayoutEpochTests {
    let curve = MembershipCurve(a: 1.577, b: 0.895)

    /// The pull and push are umap-learn's attractive and repulsive gradient coefficients.
    @Test func forcesAreUmapsGradientCoefficients() {
        let context = EpochContext(count: 10, dimension: 2, epoch: 0, alpha: 1, curve: curve, repulsion: 1.5)
        for squared: Float in [0.01, 0.5, 2, 30] {
            let power = pow(squared, curve.b)
            func coefficient(_ force: EdgeForce) -> Float {
                (force.powerScale[0] * power + force.constant[0]) / ((squared + force.offset[0]) * (force.a[0] * power + 1))
            }
            let attraction = -2 * curve.a * curve.b * pow(squared, curve.b - 1) / (curve.a * power + 1)
            let repulsion = 2 * 1.5 * curve.b / ((0.001 + squared) * (curve.a * power + 1))
            #expect(abs(coefficient(context.pull) - attraction) <= 1e-5 * abs(attraction))
            #expect(abs(coefficient(context.push) - repulsion) <= 1e-5 * repulsion)
        }
    }

    /// One move of two groups of heads: lane by lane the clipped, rate-scaled gradient step of
    /// umap-learn, and nothing in inactive lanes.
    @Test func aMoveIsUmapsStepLaneByLane() {
        let dimension = 2, groups = 2, rate: Float = 0.5
        let context = EpochContext(count: 10, dimension: dimension, epoch: 0, alpha: rate, curve: curve, repulsion: 1)
        func vector(_ value: (Int) -> Float) -> SIMD8<Float> { SIMD8<Float>((0..<8).map(value)) }
        var heads: [SIMD8<Float>] = (0..<(groups * dimension)).map { index in vector { lane in Float(lane * 3 + index) * 0.37 } }
        let far: [SIMD8<Float>] = (0..<(groups * dimension)).map { index in vector { lane in Float((lane * 5 + index * 7) % 11) * 0.21 } }
        var moves = [SIMD8<Float>](repeating: .zero, count: groups * dimension), squared = [SIMD8<Float>](repeating: .zero, count: groups)
        let active = [SIMD8<Float>(repeating: 1), SIMD8<Float>(1, 1, 1, 0, 1, 1, 1, 1)]
        let before = heads
        for force in [context.pull, context.push] {
            heads = before
            context.move(&heads, from: far, moves: &moves, squared: &squared, groups: groups, force: force, active: active)
            for group in 0..<groups {
                for lane in 0..<8 {
                    let differences: [Float] = (0..<dimension).map { axis in
                        before[group * dimension + axis][lane] - far[group * dimension + axis][lane]
                    }
                    let distance: Float = differences.reduce(0) { $0 + $1 * $1 }
                    let power: Float = pow(distance, curve.b)
                    let numerator: Float = force.powerScale[0] * power + force.constant[0]
                    let coefficient: Float = numerator / ((distance + force.offset[0]) * (curve.a * power + 1))
                    for axis in 0..<dimension {
                        let clipped: Float = max(-4, min(4, coefficient * differences[axis]))
                        let step: Float = active[group][lane] * clipped * rate
                        let moved = heads[group * dimension + axis][lane] - before[group * dimension + axis][lane]
                        #expect(abs(moved - step) <= 1e-4 * max(1, abs(step)), "group \(group) lane \(lane) axis \(axis)")
                    }
                }
            }
        }
    }
}
