import Analysis
import Foundation
import GRDB

/// Where an analysis stands, for the progress bar.
public struct AnalysisProgress: Sendable {
    public enum Stage: String, Sendable {
        case map = "map"
        case clusters = "clusters"
        case years = "release years"
    }

    public var stage: Stage
    /// Of this stage, 0…1.
    public var fraction: Double
}

/// The map of a library, computed and stored: a 2-D UMAP of the songs' vectors, HDBSCAN clusters
/// of a few-dimensional UMAP, a release-year model and per-cluster statistics ("Self-Supervised
/// Music Analysis", section 4).
public enum LibraryAnalyzer {
    /// Fewer songs than this make no map worth drawing and no clusters worth naming.
    public static let minimumSongs = 8
    /// The year model needs this many songs with a known year.
    public static let minimumSongsWithYears = 20
    /// Years outside this range are taken for tagging mistakes, not release years.
    static let plausibleYears = 1_900...2_100

    public enum Outcome: Sendable, Equatable {
        case analysed(songs: Int, clusters: Int, yearError: Double?)
        /// Songs were only removed: the statistics were recomputed, the map kept.
        case statisticsUpdated(songs: Int)
        case upToDate
        case tooFewSongs(Int)
    }

    /// Brings the analysis of `model` up to date after indexing: nothing when the library is
    /// unchanged, the statistics alone when songs were only removed, a full run otherwise.
    public static func update(database: LibraryDatabase, model: ModelRecord,
                              progress: (AnalysisProgress) -> Void = { _ in }) throws -> Outcome {
        let current = try songCount(database: database, model: model)
        let state = try database.read { db -> (analysed: Int, rows: Int, newer: Bool)? in
            guard let analysis = try Row.fetchOne(db, sql: "SELECT id, songs, created_at FROM analyses WHERE model_id = ?",
                                                  arguments: [model.id]) else { return nil }
            let analysisID: Int64 = analysis["id"]
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM song_analysis WHERE analysis_id = ?", arguments: [analysisID]) ?? 0
            let newer = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM embeddings e JOIN songs s ON s.id = e.song_id
                               WHERE e.model_id = ? AND s.indexed_at > ?)
                """, arguments: [model.id, analysis["created_at"] as Double]) ?? true
            return (analysis["songs"], rows, newer)
        }
        guard let state, !state.newer, current == state.rows else {
            let settings = AnalysisSettings(songCount: current)
            return try analyse(database: database, model: model, settings: settings, progress: progress)
        }
        if state.rows == state.analysed { return .upToDate }
        guard state.rows >= minimumSongs else { return .tooFewSongs(state.rows) }
        try recomputeStatistics(database: database, model: model)
        return .statisticsUpdated(songs: state.rows)
    }

    /// Runs the whole analysis of `model`'s vectors and stores it in place of the previous one.
    public static func analyse(database: LibraryDatabase, model: ModelRecord, settings: AnalysisSettings,
                               progress: (AnalysisProgress) -> Void = { _ in }) throws -> Outcome {
        let vectors = try EmbeddingMatrix.load(from: database, model: model)
        let count = vectors.count
        guard count >= minimumSongs else { return .tooFewSongs(count) }
        let points = vectors.matrix.values
        let dimension = vectors.matrix.columns

        // The map and the clustering embedding: half of the work each.
        func layout(_ parameters: UMAPParameters, share: ClosedRange<Double>) -> [Float] {
            func report(_ fraction: Double) {
                progress(AnalysisProgress(stage: .map, fraction: share.lowerBound + fraction * (share.upperBound - share.lowerBound)))
            }
            var umap = UMAP(points: points, count: count, dimension: dimension, parameters: parameters,
                            progress: { report(0.3 * $0) })
            umap.run { report(0.3 + 0.7 * $0) }
            return umap.embedding
        }
        let map = layout(settings.map, share: 0...0.5)
        let clusteringSpace = layout(settings.clustering, share: 0.5...1)
        progress(AnalysisProgress(stage: .clusters, fraction: 0))
        let clusters = HDBSCAN.cluster(points: clusteringSpace, count: count, dimension: settings.clustering.components,
                                       parameters: HDBSCANParameters(minClusterSize: settings.minClusterSize,
                                                                     minSamples: settings.minSamples),
                                       progress: { progress(AnalysisProgress(stage: .clusters, fraction: $0)) })

        let songs = try database.songs(ids: vectors.ids)
        let years = vectors.ids.map { id in songs[id]?.year.flatMap { plausibleYears.contains($0) ? $0 : nil } }
        let yearModel = try predictYears(points: points, dimension: dimension, years: years, settings: settings,
                                         progress: { progress(AnalysisProgress(stage: .years, fraction: $0)) })

        let analysed = vectors.ids.indices.map { row in
            AnalysedSong(id: vectors.ids[row],
                         placement: SongPlacement(x: map[2 * row], y: map[2 * row + 1], cluster: clusters.labels[row],
                                                  probability: clusters.probabilities[row], outlierScore: clusters.outlierScores[row],
                                                  predictedYear: yearModel?.predictions[row]),
                         year: years[row])
        }
        let persistence = Dictionary(uniqueKeysWithValues: clusters.clusterStabilities.enumerated().map { ($0.offset, Double($0.element)) })
        let summaries = ClusterStatistics.summaries(of: analysed, persistence: persistence, tagNames: model.tags,
                                                    tags: try database.tagProbabilities(modelID: model.id!))
        try store(analysed, summaries: summaries, yearReport: yearModel?.report, settings: settings, model: model, in: database)
        return .analysed(songs: count, clusters: clusters.clusterCount, yearError: yearModel?.report.meanAbsoluteError)
    }

    // MARK: Release years

    struct YearPredictions {
        /// Per song: out of fold for songs with a year, from a model of all of them for the rest.
        var predictions: [Float]
        var report: YearReportSummary
    }

    /// nil when fewer than `minimumSongsWithYears` songs carry a year, or they all carry the same.
    static func predictYears(points: [Float], dimension: Int, years: [Int?], settings: AnalysisSettings,
                             progress: (Double) -> Void) throws -> YearPredictions? {
        let dated = years.indices.filter { years[$0] != nil }
        let known = dated.map { years[$0]! }
        guard dated.count >= minimumSongsWithYears, Set(known).count > 1 else { return nil }
        func rows(_ indices: [Int]) -> [Float] { indices.flatMap { points[($0 * dimension)..<(($0 + 1) * dimension)] } }
        let report = try withoutActuallyEscaping(progress) { progress in
            try ReleaseYearModel.crossValidate(features: rows(dated), count: dated.count, dimension: dimension, years: known,
                                               folds: settings.yearFolds, parameters: settings.boosting,
                                               progress: { progress(0.8 * $0) })
        }
        var predictions = [Float](repeating: 0, count: years.count)
        for (position, row) in dated.enumerated() { predictions[row] = report.predictions[position] }
        let undated = years.indices.filter { years[$0] == nil }
        if !undated.isEmpty {
            let model = try GradientBoostedRegressor.fit(features: rows(dated), count: dated.count, dimension: dimension,
                                                         targets: known.map(Float.init), parameters: settings.boosting)
            for (row, year) in zip(undated, model.predict(features: rows(undated), count: undated.count)) { predictions[row] = year }
        }
        progress(1)
        return YearPredictions(predictions: predictions, report: summary(of: report, years: known, folds: settings.yearFolds))
    }

    static func summary(of report: ReleaseYearReport, years: [Int], folds: Int) -> YearReportSummary {
        let median = ClusterStatistics.spread(of: years.map(Double.init))!.median
        let baseline = years.map { abs(Double($0) - median) }.reduce(0, +) / Double(years.count)
        return YearReportSummary(
            songs: years.count, folds: folds, meanAbsoluteError: report.meanAbsoluteError, baselineMeanAbsoluteError: baseline,
            histogramEdges: report.histogramEdges,
            perYear: report.perYear.map { year in
                YearReportSummary.YearSpread(
                    year: year.year, count: year.count, meanAbsoluteError: year.meanAbsoluteError,
                    meanPrediction: year.meanPrediction, lowerWhisker: year.lowerWhisker, lowerQuartile: year.lowerQuartile,
                    median: year.median, upperQuartile: year.upperQuartile, upperWhisker: year.upperWhisker,
                    histogram: year.histogram)
            })
    }

    // MARK: Storage

    static func store(_ songs: [AnalysedSong], summaries: [ClusterSummary], yearReport: YearReportSummary?,
                      settings: AnalysisSettings, model: ModelRecord, in database: LibraryDatabase) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM analyses WHERE model_id = ?", arguments: [model.id])
            try db.execute(sql: "INSERT INTO analyses(model_id, created_at, songs, settings, year_report) VALUES (?, ?, ?, ?, ?)",
                           arguments: [model.id, Date().timeIntervalSince1970, songs.count,
                                       try jsonText(settings), try yearReport.map(jsonText)])
            let analysisID = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: """
                INSERT INTO song_analysis(analysis_id, song_id, x, y, cluster, probability, outlier_score, predicted_year)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for song in songs {
                try insert.execute(arguments: [analysisID, song.id, Double(song.x), Double(song.y), song.cluster,
                                               Double(song.probability), Double(song.outlierScore), song.predictedYear.map { Double($0) }])
            }
            try storeSummaries(summaries, analysisID: analysisID, in: db)
        }
    }

    static func storeSummaries(_ summaries: [ClusterSummary], analysisID: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM cluster_summaries WHERE analysis_id = ?", arguments: [analysisID])
        for summary in summaries {
            try db.execute(sql: "INSERT INTO cluster_summaries(analysis_id, cluster, summary) VALUES (?, ?, ?)",
                           arguments: [analysisID, summary.cluster, try jsonText(summary)])
        }
    }

    /// After removals: the clusters and the year report from the rows that remain.
    static func recomputeStatistics(database: LibraryDatabase, model: ModelRecord) throws {
        let map = try LibraryMap(database: database, modelName: model.name)
        let songs = try map.analysedSongs()
        let persistence = Dictionary(uniqueKeysWithValues: try map.clusters().map { ($0.cluster, $0.persistence) })
        let summaries = ClusterStatistics.summaries(of: songs, persistence: persistence, tagNames: model.tags,
                                                    tags: try database.tagProbabilities(modelID: model.id!))
        let dated = songs.filter { $0.year != nil && $0.predictedYear != nil }
        var yearReport: YearReportSummary?
        if let folds = try map.yearReport()?.folds, dated.count >= minimumSongsWithYears {
            let years = dated.map { $0.year! }
            yearReport = summary(of: ReleaseYearReport(years: years, predictions: dated.map { $0.predictedYear! }), years: years, folds: folds)
        }
        try database.write { db in
            try db.execute(sql: "UPDATE analyses SET songs = ?, year_report = ? WHERE id = ?",
                           arguments: [songs.count, try yearReport.map(jsonText), map.analysisID])
            try storeSummaries(summaries, analysisID: map.analysisID, in: db)
        }
    }

    /// Stored JSON, keys sorted so equal values give equal text.
    static func jsonText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Songs with a vector of `model`.
    public static func songCount(database: LibraryDatabase, model: ModelRecord) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM embeddings e JOIN songs s ON s.id = e.song_id WHERE e.model_id = ? AND s.status = 'ok'
                """, arguments: [model.id]) ?? 0
        }
    }
}
