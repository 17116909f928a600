@testable import Analysis
import Testing

@Suite struct BoostingSplitFinderTests {
    /// One feature (index 0 of 1) with two samples in each of bins 0, 1, 3 and 4 (bin 2 empty), and
    /// gradients −2, −1, 1, 2 per bin: node gradient sum 0, count 8.
    static func histogram(binCount: Int = 5) -> GradientHistogram {
        let histogram = GradientHistogram(dimension: 1, binCount: binCount)
        let column: [UInt8] = [0, 0, 1, 1, 3, 3, 4, 4]
        let gradients: [Float] = [-2, -2, -1, -1, 1, 1, 2, 2]
        column.withUnsafeBufferPointer { column in
            gradients.withUnsafeBufferPointer { gradients in
                histogram.accumulate(feature: 0, column: column.baseAddress!, samples: nil, orderedGradients: gradients)
            }
        }
        return histogram
    }

    /// Its loss, 0 × value, is 0.
    static let node = BoostingNodeTotals(gradientSum: 0, count: 8)

    @Test func gainOfAHandWorkedExample() throws {
        // Left of bin 1: Σg = −6 over 4 samples; right: +6 over 4. Losses −36/4 each, so the gain is 0 + 9 + 9 = 18,
        // better than after bin 0 (16/2 + 16/6 ≈ 10.67) or bin 3 (the mirror image).
        let split = try #require(BoostingSplitFinder(minSamplesLeaf: 1, l2Regularization: 0)
            .bestSplit(feature: 0, histogram: Self.histogram(), node: Self.node, nodeLoss: 0))
        #expect(split.bin == 1)
        #expect(split.gain == 18)
        #expect(split.left == BoostingNodeTotals(gradientSum: -6, count: 4))
        #expect(split.right == BoostingNodeTotals(gradientSum: 6, count: 4))
    }

    @Test func l2RegularisationShrinksGain() throws {
        // 36/(4 + 2) twice.
        let split = try #require(BoostingSplitFinder(minSamplesLeaf: 1, l2Regularization: 2)
            .bestSplit(feature: 0, histogram: Self.histogram(), node: Self.node, nodeLoss: 0))
        #expect(split.gain == 12)
    }

    @Test func minSamplesLeafRulesOutSplits() throws {
        let finder = BoostingSplitFinder(minSamplesLeaf: 5, l2Regularization: 0)
        #expect(finder.bestSplit(feature: 0, histogram: Self.histogram(), node: Self.node, nodeLoss: 0) == nil)
        // With 3 per side, only the splits after bin 1 (4 | 4) qualify; after bin 0 has 2 on the left.
        let split = try #require(BoostingSplitFinder(minSamplesLeaf: 3, l2Regularization: 0)
            .bestSplit(feature: 0, histogram: Self.histogram(), node: Self.node, nodeLoss: 0))
        #expect(split.bin == 1)
    }

    @Test func noGainNoSplit() {
        let histogram = GradientHistogram(dimension: 1, binCount: 2)
        [UInt8](arrayLiteral: 0, 0, 1, 1).withUnsafeBufferPointer { column in
            [Float](repeating: 0.5, count: 4).withUnsafeBufferPointer { gradients in
                histogram.accumulate(feature: 0, column: column.baseAddress!, samples: nil, orderedGradients: gradients)
            }
        }
        let finder = BoostingSplitFinder(minSamplesLeaf: 1, l2Regularization: 0)
        let node = BoostingNodeTotals(gradientSum: 2, count: 4)
        #expect(finder.bestSplit(feature: 0, histogram: histogram, node: node, nodeLoss: finder.loss(node)) == nil)
    }

    @Test func nodeLossShiftsGainsNotChoices() throws {
        // The root's loss is taken as 0, like scikit-learn; any other value moves every gain alike.
        let finder = BoostingSplitFinder(minSamplesLeaf: 1, l2Regularization: 0)
        let shifted = try #require(finder.bestSplit(feature: 0, histogram: Self.histogram(), node: Self.node, nodeLoss: -3))
        #expect(shifted.bin == 1)
        #expect(shifted.gain == 15)
        #expect(finder.loss(BoostingNodeTotals(gradientSum: -6, count: 4)) == -9)
    }

    @Test func leafValueIsTheNewtonStep() {
        #expect(BoostingSplitFinder(minSamplesLeaf: 1, l2Regularization: 1).leafValue(BoostingNodeTotals(gradientSum: -6, count: 2)) == 2)
    }

    @Test func tiesKeepTheLowestFeature() {
        let totals = BoostingNodeTotals(gradientSum: 0, count: 2)
        let candidates: [BoostingSplit?] = [nil, BoostingSplit(feature: 1, bin: 0, gain: 3, left: totals, right: totals),
                                            BoostingSplit(feature: 2, bin: 0, gain: 3, left: totals, right: totals)]
        #expect(BoostingSplitFinder.best(of: candidates)?.feature == 1)
        #expect(BoostingSplitFinder.best(of: [nil, nil]) == nil)
    }
}
