@testable import Analysis
import Foundation
import Testing

@Suite struct FastPowerTests {
    @Test(arguments: [Float(0.895), -0.105, 1.5, 0.3])
    func matchesPowWithinFewMillionthsRelativeError(exponent: Float) {
        var worst: Double = 0
        var x: Float = 1e-6
        while x < 1e6 {
            let lanes = fastPower(SIMD8(repeating: x), exponent)
            let exact = pow(Double(x), Double(exponent))
            worst = max(worst, abs(Double(lanes[0]) - exact) / exact)
            x *= 1.013
        }
        #expect(worst < 5e-6, "worst relative error \(worst)")
    }

    @Test func zeroAndExtremeInputsGiveFiniteTinyOrLargePowers() {
        let lanes = fastPower(SIMD8(0, 1e-30, 1e30, .greatestFiniteMagnitude, 1, 2, 4, .infinity), 1.8)
        #expect((0..<8).allSatisfy { lanes[$0].isFinite && lanes[$0] > 0 })
        #expect(lanes[0] < 1e-20 && lanes[1] < 1e-20, "below 2⁻⁴⁰ counts as 2⁻⁴⁰")
        #expect(lanes[2] > 1e20 && lanes[3] > 1e20 && lanes[7] > 1e20, "above 2⁴⁰ counts as 2⁴⁰")
        #expect(abs(lanes[4] - 1) < 1e-5 && abs(lanes[6] / lanes[5] - pow(2, 1.8)) < 1e-4)
    }
}
