/// How well release years are predicted: overall, and per true year the spread of the predictions
/// (box-plot figures and a histogram for a violin plot).
public struct ReleaseYearReport: Sendable, Equatable {
    /// Histogram bins per year; all years share the same bins so their violins line up.
    public static let histogramBinCount = 24

    /// The predicted year of every song, in input order.
    public let predictions: [Float]
    /// The mean absolute difference between predicted and true years.
    public let meanAbsoluteError: Double
    /// One summary per true year present, in ascending year order.
    public let perYear: [YearSummary]
    /// The `histogramBinCount + 1` ascending edges of the prediction histograms, spanning all predictions.
    public let histogramEdges: [Double]

    /// Summarises `predictions` against the true `years` of the same songs (at least one).
    public init(years: [Int], predictions: [Float]) {
        precondition(years.count == predictions.count && !years.isEmpty, "one prediction per song")
        self.predictions = predictions
        meanAbsoluteError = RegressionStatistics.meanAbsoluteError(predictions, years.map(Float.init))
        let low = Double(predictions.min()!)
        let high = Double(predictions.max()!)
        // A single predicted value still gets a bin of some width.
        let (start, end) = low < high ? (low, high) : (low - 0.5, high + 0.5)
        let edges = (0...Self.histogramBinCount).map { start + (end - start) * Double($0) / Double(Self.histogramBinCount) }
        histogramEdges = edges
        perYear = Dictionary(grouping: years.indices, by: { years[$0] }).sorted { $0.key < $1.key }.map { year, songs in
            YearSummary(year: year, predictions: songs.map { Double(predictions[$0]) }, histogramEdges: edges)
        }
    }
}

/// The predictions for the songs of one true release year.
public struct YearSummary: Sendable, Equatable {
    /// The true release year.
    public let year: Int
    /// Songs released that year.
    public let count: Int
    /// Their mean absolute prediction error in years.
    public let meanAbsoluteError: Double
    /// Their mean predicted year.
    public let meanPrediction: Double
    /// The first quartile of their predictions (linear interpolation, as numpy and matplotlib).
    public let lowerQuartile: Double
    /// The median of their predictions.
    public let median: Double
    /// The third quartile of their predictions.
    public let upperQuartile: Double
    /// The lowest prediction within 1.5 interquartile ranges below the box (Tukey's whisker).
    public let lowerWhisker: Double
    /// The highest prediction within 1.5 interquartile ranges above the box.
    public let upperWhisker: Double
    /// Predictions per bin of the report's `histogramEdges` (the last bin includes its upper edge).
    public let histogram: [Int]

    init(year: Int, predictions: [Double], histogramEdges edges: [Double]) {
        let sorted = predictions.sorted()
        self.year = year
        count = sorted.count
        meanAbsoluteError = sorted.reduce(0) { $0 + abs($1 - Double(year)) } / Double(count)
        meanPrediction = sorted.reduce(0, +) / Double(count)
        let (lower, upper) = (RegressionStatistics.quantile(sorted: sorted, 0.25), RegressionStatistics.quantile(sorted: sorted, 0.75))
        let reach = 1.5 * (upper - lower)
        lowerQuartile = lower
        median = RegressionStatistics.quantile(sorted: sorted, 0.5)
        upperQuartile = upper
        lowerWhisker = sorted.first { $0 >= lower - reach }!
        upperWhisker = sorted.last { $0 <= upper + reach }!
        let binCount = edges.count - 1
        let width = (edges[binCount] - edges[0]) / Double(binCount)
        var histogram = [Int](repeating: 0, count: binCount)
        for prediction in sorted {
            histogram[min(max(Int((prediction - edges[0]) / width), 0), binCount - 1)] += 1
        }
        self.histogram = histogram
    }
}
