@testable import Analysis
import Testing

@Suite struct BoostingLossTests {
    static let targets: [Float] = [1, 2, 10, 3]

    @Test func baselineIsMeanOrMedian() {
        #expect(BoostingLoss.squaredError.baseline(targets: Self.targets) == 4)
        #expect(BoostingLoss.absoluteError.baseline(targets: Self.targets) == 2.5)
    }

    @Test func gradients() {
        var gradients = [Float](repeating: 0, count: 4)
        let predictions: [Double] = [2, 2, 4, 0]
        BoostingLoss.squaredError.computeGradients(targets: Self.targets, predictions: predictions, into: &gradients)
        #expect(gradients == [1, 0, -6, -3])
        BoostingLoss.absoluteError.computeGradients(targets: Self.targets, predictions: predictions, into: &gradients)
        // A prediction equal to its target counts as below it, as in scikit-learn.
        #expect(gradients == [1, -1, -1, -1])
    }

    @Test func meanLoss() {
        let predictions: [Double] = [2, 2, 4, 0]
        #expect(BoostingLoss.squaredError.meanLoss(targets: Self.targets, predictions: predictions) == (0.5 + 0 + 18 + 4.5) / 4.0)
        #expect(BoostingLoss.absoluteError.meanLoss(targets: Self.targets, predictions: predictions) == (1 + 0 + 6 + 3) / 4.0)
    }

    @Test func onlyAbsoluteErrorReplacesTheNewtonStep() {
        #expect(BoostingLoss.squaredError.lineSearchLeafValue(residuals: [1, 2, 30]) == nil)
        #expect(BoostingLoss.absoluteError.lineSearchLeafValue(residuals: [1, 2, 30]) == 2)
    }
}
