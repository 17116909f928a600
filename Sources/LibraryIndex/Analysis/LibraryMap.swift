import Analysis
import Foundation
import GRDB

/// The stored analysis of one model's vectors: what `clusters`, `years` and the terminal map read.
public struct LibraryMap {
    public let database: LibraryDatabase
    public let model: ModelRecord
    public let analysisID: Int64
    public let createdAt: Date
    public let settings: AnalysisSettings

    /// A song on the map.
    @dynamicMemberLookup
    public struct Point: Sendable {
        public var song: SongRecord
        public var placement: SongPlacement

        public subscript<Value>(dynamicMember keyPath: KeyPath<SongPlacement, Value>) -> Value { placement[keyPath: keyPath] }
    }

    /// The analysis of `modelName`'s vectors; fails with a hint when there is none yet.
    public init(database: LibraryDatabase, modelName: String) throws {
        guard let model = try database.model(named: modelName) else { throw IndexError.noEmbeddings(model: modelName) }
        let row = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, created_at, settings FROM analyses WHERE model_id = ? ORDER BY id DESC LIMIT 1",
                             arguments: [model.id])
        }
        guard let row else {
            throw IndexError.invalidQuery(modelName, reason: "the library has not been analysed yet; run `soundmap analyze`")
        }
        self.database = database
        self.model = model
        analysisID = row["id"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        settings = try JSONDecoder().decode(AnalysisSettings.self, from: Data((row["settings"] as String).utf8))
    }

    /// Every song on the map, in song id order.
    public func points() throws -> [Point] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT song_id, x, y, cluster, probability, outlier_score, predicted_year FROM song_analysis
                WHERE analysis_id = ? ORDER BY song_id
                """, arguments: [analysisID])
        }
        let songs = try database.songs(ids: rows.map { $0["song_id"] })
        return rows.compactMap { row in
            songs[row["song_id"]].map { song in
                Point(song: song, placement: SongPlacement(
                    x: Float(row["x"] as Double), y: Float(row["y"] as Double), cluster: row["cluster"],
                    probability: Float(row["probability"] as Double), outlierScore: Float(row["outlier_score"] as Double),
                    predictedYear: (row["predicted_year"] as Double?).map { Float($0) }))
            }
        }
    }

    /// The clusters, largest first.
    public func clusters() throws -> [ClusterSummary] {
        let texts = try database.read { db in
            try String.fetchAll(db, sql: "SELECT summary FROM cluster_summaries WHERE analysis_id = ?", arguments: [analysisID])
        }
        let decoder = JSONDecoder()
        return try texts.map { try decoder.decode(ClusterSummary.self, from: Data($0.utf8)) }
            .sorted { ($0.size, -$0.cluster) > ($1.size, -$1.cluster) }
    }

    /// The members of `cluster` (-1: the songs no cluster claims), most typical first.
    public func songs(inCluster cluster: Int) throws -> [Point] {
        try points().filter { $0.cluster == cluster }
            .sorted { ($0.probability, -$0.outlierScore) > ($1.probability, -$1.outlierScore) }
    }

    /// The release-year model's accuracy; nil when too few songs carry a year.
    public func yearReport() throws -> YearReportSummary? {
        let text = try database.read { db in
            try String.fetchOne(db, sql: "SELECT year_report FROM analyses WHERE id = ?", arguments: [analysisID])
        }
        return try text.map { try JSONDecoder().decode(YearReportSummary.self, from: Data($0.utf8)) }
    }

    func analysedSongs() throws -> [AnalysedSong] {
        try points().map { point in
            AnalysedSong(id: point.song.id!, placement: point.placement,
                         year: point.song.year.flatMap { LibraryAnalyzer.plausibleYears.contains($0) ? $0 : nil })
        }
    }
}
