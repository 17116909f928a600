import Foundation
import GRDB

/// Every song's mean filter activations for one model, as a songs × filters matrix: what
/// filter summaries and z-scores are computed from.
struct LibraryActivations {
    private let database: LibraryDatabase
    let modelID: Int64
    let songIDs: [Int64]
    let filterCount: Int
    /// Row-major songs × filters.
    let means: [Float]

    init(database: LibraryDatabase, modelID: Int64) throws {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT song_id, means FROM filter_activations WHERE model_id = ? ORDER BY song_id",
                             arguments: [modelID])
        }
        self.modelID = modelID
        songIDs = rows.map { $0["song_id"] }
        let vectors = rows.map { VectorBlob.float32(from: $0["means"]) }
        filterCount = vectors.first?.count ?? 0
        means = vectors.flatMap { $0 }
        self.database = database
    }

    struct Statistics {
        var means: [Float]
        var deviations: [Float]

        /// Standard deviations above the library mean; 0 where the library does not vary.
        func zScore(_ value: Float, filter: Int) -> Float {
            deviations[filter] > 0 ? (value - means[filter]) / deviations[filter] : 0
        }
    }

    /// Per filter, the mean and the (population) standard deviation over songs.
    func filterStatistics() -> Statistics {
        let columns = ColumnMoments(values: means, rows: songIDs.count, columns: filterCount)
        return Statistics(means: columns.means.map(Float.init), deviations: columns.deviations.map(Float.init))
    }

    struct TagCorrelations {
        let tagNames: [String]
        /// Row-major filters × tags.
        let values: [Float]

        func value(filter: Int, tag: Int) -> Float { values[filter * tagNames.count + tag] }
    }

    /// Pearson correlation over songs between each filter's mean activation and each tag's
    /// probability; nil when the model has no tags or fewer than three songs have both.
    func tagCorrelations(tagNames: [String]) throws -> TagCorrelations? {
        guard !tagNames.isEmpty else { return nil }
        let bySong = try database.tagProbabilities(modelID: modelID)
        let paired = songIDs.indices.filter { bySong[songIDs[$0]]?.count == tagNames.count }
        guard paired.count >= 3 else { return nil }
        let filters = ColumnMoments(values: paired.flatMap { means[($0 * filterCount)..<(($0 + 1) * filterCount)] },
                                    rows: paired.count, columns: filterCount)
        let tags = ColumnMoments(values: paired.flatMap { bySong[songIDs[$0]]! }, rows: paired.count, columns: tagNames.count)
        var values = [Float](repeating: 0, count: filterCount * tagNames.count)
        for filter in 0..<filterCount {
            for tag in tagNames.indices {
                var covariance = 0.0
                for row in 0..<paired.count {
                    covariance += filters.centred(row: row, column: filter) * tags.centred(row: row, column: tag)
                }
                let scale = filters.deviations[filter] * tags.deviations[tag] * Double(paired.count)
                values[filter * tagNames.count + tag] = scale > 0 ? Float(covariance / scale) : 0
            }
        }
        return TagCorrelations(tagNames: tagNames, values: values)
    }
}

/// Column means and standard deviations of a row-major matrix, in double precision.
private struct ColumnMoments {
    let values: [Float]
    let columns: Int
    let means: [Double]
    let deviations: [Double]

    init(values: [Float], rows: Int, columns: Int) {
        var sums = [Double](repeating: 0, count: columns)
        var squares = [Double](repeating: 0, count: columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let value = Double(values[row * columns + column])
                sums[column] += value
                squares[column] += value * value
            }
        }
        let count = Double(max(rows, 1))
        let means = sums.map { $0 / count }
        self.values = values
        self.columns = columns
        self.means = means
        // Rounding can leave a tiny negative variance for a constant column.
        deviations = zip(squares, means).map { max(0, $0 / count - $1 * $1).squareRoot() }
    }

    func centred(row: Int, column: Int) -> Double { Double(values[row * columns + column]) - means[column] }
}
