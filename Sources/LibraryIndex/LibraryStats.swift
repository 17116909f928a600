import Foundation
import GRDB

/// A summary of the index for `soundmap stats`.
public struct LibraryStats: Sendable, Encodable {
    public struct FormatCount: Sendable, Encodable {
        public var format: String
        public var songs: Int
        public var hours: Double
    }

    public struct ModelCount: Sendable, Encodable {
        public var name: String
        public var version: Int
        public var dimension: Int
        public var songs: Int
        public var clips: Int
        public var summary: String
        /// Songs on the model's map and its clusters; nil before the first analysis.
        public var mappedSongs: Int?
        public var clusters: Int?
    }

    public struct Failure: Sendable, Encodable {
        public var path: String
        public var reason: String
    }

    public var songs: Int
    public var failed: Int
    public var withWarnings: Int
    public var hours: Double
    public var withYear: Int
    public var formats: [FormatCount]
    public var models: [ModelCount]
    public var failures: [Failure]

    public static func gather(from database: LibraryDatabase) throws -> LibraryStats {
        try database.read { db in
            let songs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'ok'") ?? 0
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'failed'") ?? 0
            let warned = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'ok' AND warning IS NOT NULL") ?? 0
            let seconds = try Double.fetchOne(db, sql: "SELECT TOTAL(duration) FROM songs WHERE status = 'ok'") ?? 0
            let withYear = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'ok' AND year IS NOT NULL") ?? 0
            let formats = try Row.fetchAll(db, sql: """
                SELECT COALESCE(format, '?') AS format, COUNT(*) AS n, TOTAL(duration) AS seconds FROM songs
                WHERE status = 'ok' GROUP BY format ORDER BY n DESC
                """).map { FormatCount(format: $0["format"], songs: $0["n"], hours: ($0["seconds"] as Double) / 3600) }
            let models = try Row.fetchAll(db, sql: """
                SELECT m.name, m.version, m.dimension, m.summary,
                       (SELECT COUNT(*) FROM embeddings e WHERE e.model_id = m.id) AS songs,
                       (SELECT COUNT(*) FROM clips c WHERE c.model_id = m.id) AS clips,
                       (SELECT songs FROM analyses a WHERE a.model_id = m.id) AS mapped,
                       (SELECT COUNT(*) FROM cluster_summaries s JOIN analyses a ON a.id = s.analysis_id
                        WHERE a.model_id = m.id) AS clusters
                FROM models m ORDER BY m.name, m.version
                """).map { row in
                    let mapped: Int? = row["mapped"]
                    return ModelCount(name: row["name"], version: row["version"], dimension: row["dimension"], songs: row["songs"],
                                      clips: row["clips"], summary: row["summary"], mappedSongs: mapped,
                                      clusters: mapped == nil ? nil : row["clusters"])
                }
            let failures = try Row.fetchAll(db, sql: """
                SELECT display_path, error FROM songs WHERE status = 'failed' ORDER BY display_path
                """).map { Failure(path: $0["display_path"], reason: $0["error"] ?? "unknown") }
            return LibraryStats(songs: songs, failed: failed, withWarnings: warned, hours: seconds / 3600, withYear: withYear,
                                formats: formats, models: models, failures: failures)
        }
    }
}
