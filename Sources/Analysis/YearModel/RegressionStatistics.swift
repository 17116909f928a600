/// Order statistics shared by the absolute-error loss and the release-year report.
enum RegressionStatistics {
    /// The median, averaging the two middle values of an even count (as numpy's median).
    static func median(of values: [Double]) -> Double {
        quantile(sorted: values.sorted(), 0.5)
    }

    /// The `fraction` quantile of ascending `sorted` values by linear interpolation between order
    /// statistics (numpy's default "linear" method, which box plots use).
    static func quantile(sorted: [Double], _ fraction: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of no values")
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    /// The mean absolute difference of two equally long sequences.
    static func meanAbsoluteError(_ predictions: [Float], _ truth: [Float]) -> Double {
        precondition(predictions.count == truth.count && !truth.isEmpty, "mismatched or empty MAE inputs")
        var total = 0.0
        for index in truth.indices { total += abs(Double(predictions[index]) - Double(truth[index])) }
        return total / Double(truth.count)
    }
}
