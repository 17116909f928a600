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
}
