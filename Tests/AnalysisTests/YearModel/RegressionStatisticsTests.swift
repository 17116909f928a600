@testable import Analysis
import Testing

@Suite struct RegressionStatisticsTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(RegressionStatistics.median(of: [5, 1, 3]) == 3)
        #expect(RegressionStatistics.median(of: [4, 1, 3, 10]) == 3.5)
    }

    @Test func quantilesInterpolateLikeNumpy() {
        // np.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.6, 0.9, 1]) = [1, 2, 3.4, 7.6, 10]
        let sorted: [Double] = [1, 2, 3, 4, 10]
        let quantiles = [0, 0.25, 0.6, 0.9, 1].map { RegressionStatistics.quantile(sorted: sorted, $0) }
        let expected = [1, 2, 3.4, 7.6, 10]
        #expect(zip(quantiles, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func meanAbsoluteError() {
        #expect(RegressionStatistics.meanAbsoluteError([1, 5], [2, 2]) == 2)
    }
}
