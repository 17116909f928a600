import ModelCore

/// Features quantised to at most 255 bins, stored column by column (one byte per value), so a
/// histogram pass over one feature reads one contiguous column.
struct BoostingBinnedFeatures: Sendable {
    let count: Int
    let dimension: Int
    /// `columns[feature * count + sample]`.
    let columns: [UInt8]
}

/// Per-feature bin thresholds from quantiles of the training data (scikit-learn's `_BinMapper`).
///
/// A value `x` of feature `f` falls in bin `i` when `thresholds[f][i - 1] < x <= thresholds[f][i]`.
struct BoostingBinning: Sendable {
    /// Ascending upper bounds of every bin but the last, per feature.
    let thresholds: [[Double]]

    var dimension: Int { thresholds.count }

    /// The most bins any feature uses.
    var binCount: Int { (thresholds.map(\.count).max() ?? 0) + 1 }
}

extension BoostingBinning {
    /// Thresholds for `count` row-major samples, from at most `subsample` of them drawn with
    /// replacement (seeded), as scikit-learn does for large inputs.
    init(features: [Float], count: Int, dimension: Int, maxBins: Int, subsample: Int, seed: UInt64) {
        var rows = Array(0..<count)
        if count > subsample {
            var random = SeededRandom(seed: seed)
            rows = (0..<subsample).map { _ in Int.random(in: 0..<count, using: &random) }
        }
        thresholds = features.withUnsafeBufferPointer { values in
            Parallel.map(dimension) { feature in
                Self.thresholds(sortedColumn: rows.map { Double(values[$0 * dimension + feature]) }.sorted(), maxBins: maxBins)
            }
        }
    }

    /// Bin thresholds of one ascending column: midpoints between distinct values when there are few,
    /// else the 1/maxBins … (maxBins−1)/maxBins quantiles ("averaged inverted CDF"), de-duplicated.
    static func thresholds(sortedColumn column: [Double], maxBins: Int) -> [Double] {
        var distinct = column
        distinct.removeConsecutiveDuplicates()
        guard distinct.count > 1 else { return [] }
        if distinct.count <= maxBins {
            return (1..<distinct.count).map { (distinct[$0 - 1] + distinct[$0]) * 0.5 }
        }
        // The same floating-point steps as np.linspace(0, 100, maxBins + 1) and np.percentile, so
        // the order statistics that sit exactly on a quantile are recognised as numpy does.
        let step = 100.0 / Double(maxBins)
        var quantiles = (1..<maxBins).map { index -> Double in
            let position = Double(column.count) * (Double(index) * step / 100) - 1
            let previous = max(0, min(Int(position.rounded(.down)), column.count - 1))
            let next = min(previous + 1, column.count - 1)
            let onOrderStatistic = position == position.rounded(.down)
            return onOrderStatistic ? column[next] - (column[next] - column[previous]) * 0.5 : column[next]
        }
        quantiles.removeConsecutiveDuplicates()
        return quantiles
    }

    /// The bin of `value`: the number of `thresholds` below it.
    @inline(__always)
    private static func bin(_ value: Double, thresholds: [Double]) -> UInt8 {
        var low = 0
        var high = thresholds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= thresholds[middle] { high = middle } else { low = middle + 1 }
        }
        return UInt8(low)
    }

    /// Bins `count` row-major samples with these thresholds.
    func bin(features: [Float], count: Int) -> BoostingBinnedFeatures {
        let dimension = self.dimension
        let columns = [UInt8](unsafeUninitializedCapacity: count * dimension) { output, initialised in
            features.withUnsafeBufferPointer { values in
                Parallel.forEachChunk(of: dimension) { features in
                    for feature in features {
                        let featureThresholds = thresholds[feature]
                        for sample in 0..<count {
                            output[feature * count + sample] = Self.bin(
                                Double(values[sample * dimension + feature]), thresholds: featureThresholds)
                        }
                    }
                }
            }
            initialised = count * dimension
        }
        return BoostingBinnedFeatures(count: count, dimension: dimension, columns: columns)
    }
}

private extension Array where Element == Double {
    /// Removes repeats from an ascending array, leaving its distinct values.
    mutating func removeConsecutiveDuplicates() {
        var kept = 0
        for index in indices where kept == 0 || self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
