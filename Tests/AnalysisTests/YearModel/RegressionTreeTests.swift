@testable import Analysis
import Testing

@Suite struct RegressionTreeTests {
    /// feature 1 ≤ 0.5 (bin 0) → −1, else feature 0 ≤ 2 (bin 1) → 2, else 3.
    static let tree = RegressionTree(nodes: [
        .init(feature: 1, bin: 0, threshold: 0.5, left: 1, right: 2),
        .init(value: -1),
        .init(feature: 0, bin: 1, threshold: 2, left: 3, right: 4),
        .init(value: 2),
        .init(value: 3),
    ])

    @Test func rawValuesFollowTheThresholds() {
        let rows: [[Float]] = [[9, 0.5], [2, 0.6], [2.5, 1]]
        #expect(rows.map { row in row.withUnsafeBufferPointer { Self.tree.predict(row: $0.baseAddress!) } } == [-1, 2, 3])
    }

    @Test func binnedSamplesFollowTheBins() {
        // Columns: feature 0 bins [2, 1, 2], feature 1 bins [0, 1, 1].
        let binned = BoostingBinnedFeatures(count: 3, dimension: 2, columns: [2, 1, 2, 0, 1, 1])
        #expect((0..<3).map { Self.tree.predict(binned: binned, sample: $0) } == [-1, 2, 3])
    }
}
