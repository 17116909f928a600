@testable import Analysis
import ModelCore
import Testing
import TestSupport

/// Quantile binning against scikit-learn's _BinMapper (fixtures by tools/make_year_fixtures.py).
@Suite struct BoostingBinningTests {
    static var columnNames: [String] { (try? YearModelFixtures.manifest().binning.map(\.name)) ?? [] }

    /// The columns below come from the manifest; an unreadable one must not skip them silently.
    @Test func referenceColumnsArePresent() throws {
        #expect(try YearModelFixtures.manifest().binning.map(\.name) == ["quantiles", "midpoints", "ties"])
    }

    @Test(arguments: columnNames)
    func thresholdsAndBinsMatchScikitLearn(column name: String) throws {
        let reference = try YearModelFixtures.manifest().binning.first { $0.name == name }!
        let column = try YearModelFixtures.load(reference.file).values
        let binning = BoostingBinning(features: column, count: column.count, dimension: 1, maxBins: 255,
                                     subsample: 200_000, seed: 0)
        #expect(binning.thresholds[0].count == reference.thresholds.count)
        let worst = zip(binning.thresholds[0], reference.thresholds).map { abs($0 - $1) }.max() ?? 0
        #expect(worst == 0, "\(name): thresholds differ by up to \(worst)")
        let bins = binning.bin(features: column, count: column.count).columns.map(Int.init)
        #expect(bins == reference.bins)
    }

    @Test func constantColumnHasOneBin() {
        let binning = BoostingBinning(features: [Float](repeating: 3, count: 50), count: 50, dimension: 1, maxBins: 255,
                                     subsample: 200_000, seed: 0)
        #expect(binning.thresholds == [[]])
        #expect(binning.binCount == 1)
        #expect(binning.bin(features: [4], count: 1).columns == [0])
    }

    @Test func valuesOnAThresholdGoToTheLowerBin() {
        let binning = BoostingBinning(thresholds: [[1.5, 2.5]])
        #expect(binning.bin(features: [1, 1.5, 2, 2.5, 3], count: 5).columns == [0, 0, 1, 1, 2])
    }

    @Test func rowMajorFeaturesBinIntoColumns() {
        // Two samples × two features; the second feature has the few-distinct-values path.
        let binning = BoostingBinning(features: [0, 10, 1, 20], count: 2, dimension: 2, maxBins: 255, subsample: 200_000, seed: 0)
        #expect(binning.thresholds == [[0.5], [15]])
        #expect(binning.bin(features: [1, 10, 0, 20], count: 2).columns == [1, 0, 0, 1])
    }

    @Test func subsampleIsSeededAndCloseToFullData() {
        var random = SeededRandom(seed: 7)
        let column = (0..<5000).map { _ in Float.random(in: 0..<1, using: &random) }
        let full = BoostingBinning(features: column, count: column.count, dimension: 1, maxBins: 16, subsample: 200_000, seed: 0)
        let sampled = BoostingBinning(features: column, count: column.count, dimension: 1, maxBins: 16, subsample: 2000, seed: 1)
        let again = BoostingBinning(features: column, count: column.count, dimension: 1, maxBins: 16, subsample: 2000, seed: 1)
        #expect(sampled.thresholds == again.thresholds)
        #expect(sampled.thresholds != full.thresholds)
        // Uniform values: a 2,000-sample quantile is within a few hundredths of the exact one.
        let worst = zip(sampled.thresholds[0], full.thresholds[0]).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05)
    }
}
