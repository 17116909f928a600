import Encoders
import Foundation
import GRDB

/// CLMR's "neurons to listen to": for each filter of a model's last layer, the clips of the
/// library that excite it most, and for each song, the filters it stands out in.
///
/// Indexing stores every song's `FilterActivations` (a few hundred bytes) and, after each run that
/// changed them, ranks the library per filter into `filter_rankings`. Rankings take at most one
/// clip per song — its strongest moment — so a filter's list is a hundred songs, not one song's
/// chorus a hundred times. Rebuilding from the per-song rows keeps the rankings exact when songs
/// leave the library.
public struct FilterRankings {
    /// Clips kept per filter.
    public static let clipsPerFilter = 100

    public let database: LibraryDatabase
    public let model: ModelRecord
    public let filterCount: Int

    /// The newest model with filter activations, or the one called `name`.
    public init(database: LibraryDatabase, modelName: String?) throws {
        let found = try database.read { db -> (ModelRecord, Int)? in
            guard let model = try ModelRecord.fetchOne(db, sql: """
                SELECT * FROM models WHERE (? IS NULL OR name = ?)
                  AND EXISTS (SELECT 1 FROM filter_activations f WHERE f.model_id = models.id)
                ORDER BY created_at DESC, version DESC LIMIT 1
                """, arguments: [modelName, modelName]) else { return nil }
            let blob = try Data.fetchOne(db, sql: "SELECT means FROM filter_activations WHERE model_id = ? LIMIT 1",
                                         arguments: [model.id])
            return (model, (blob?.count ?? 0) / MemoryLayout<Float>.size)
        }
        guard let (model, filterCount) = found else {
            throw IndexError.invalidQuery(modelName ?? "filters", reason:
                "no filter activations in the index; index with a neural model first, e.g. `soundmap index DIR --model musicnn-mtt`")
        }
        self.database = database
        self.model = model
        self.filterCount = filterCount
    }

    // MARK: Reading

    /// The strongest clips of `filter`, strongest first.
    public func topClips(filter: Int, limit: Int = clipsPerFilter) throws -> [RankedClip] {
        try checkFilter(filter)
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT rank, song_id, start, length, activation FROM filter_rankings
                WHERE model_id = ? AND filter = ? ORDER BY rank LIMIT ?
                """, arguments: [model.id, filter, limit])
        }
        let songs = try database.songs(ids: rows.map { $0["song_id"] })
        return rows.compactMap { row in
            songs[row["song_id"]].map {
                RankedClip(rank: row["rank"], song: $0, start: row["start"], length: row["length"], activation: row["activation"])
            }
        }
    }

    /// The filters in which `song` stands out most from the library, with its peak moment in each.
    ///
    /// Filters differ in scale, so a song's mean activation is compared with the library's as a
    /// z-score; with a single song in the library the raw mean orders them.
    public func strongestFilters(of song: SongRecord, limit: Int) throws -> [SongFilter] {
        let library = try LibraryActivations(database: database, modelID: model.id!)
        guard let row = library.songIDs.firstIndex(of: song.id!) else {
            throw IndexError.invalidQuery(song.label, reason: "it has no filter activations from model '\(model.name)'")
        }
        let activations = try database.read { db in try FilterRankings.activations(songID: song.id!, modelID: model.id!, in: db) }!
        let statistics = library.filterStatistics()
        let filters = (0..<filterCount).map { filter in
            SongFilter(filter: filter, zScore: statistics.zScore(library.means[row * filterCount + filter], filter: filter),
                       meanActivation: activations.means[filter], peakActivation: activations.peaks[filter],
                       peakStart: activations.peakStarts[filter], clipLength: activations.clipLength)
        }
        return Array(filters.sorted { ($0.zScore, $0.meanActivation) > ($1.zScore, $1.meanActivation) }.prefix(limit))
    }

    /// One line's worth about every filter: its mean over the library, the tags that rise with it,
    /// and its strongest clip.
    public func summaries(tagsPerFilter: Int = 3) throws -> [FilterSummary] {
        let library = try LibraryActivations(database: database, modelID: model.id!)
        let statistics = library.filterStatistics()
        let correlations = try library.tagCorrelations(tagNames: model.tags)
        let top = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT filter, song_id, activation FROM filter_rankings WHERE model_id = ? AND rank = 1",
                             arguments: [model.id])
        }
        let songs = try database.songs(ids: top.map { $0["song_id"] })
        let topSong = Dictionary(uniqueKeysWithValues: top.map { row -> (Int, SongRecord?) in (row["filter"], songs[row["song_id"]]) })
        return (0..<filterCount).map { filter in
            let tags = correlations.map { matrix in
                matrix.tagNames.indices
                    .map { (tag: matrix.tagNames[$0], correlation: matrix.value(filter: filter, tag: $0)) }
                    .filter { $0.correlation > 0 }
                    .sorted { $0.correlation > $1.correlation }
                    .prefix(tagsPerFilter)
            } ?? []
            return FilterSummary(filter: filter, meanActivation: statistics.means[filter],
                                 standardDeviation: statistics.deviations[filter],
                                 correlatedTags: Array(tags), topSong: topSong[filter] ?? nil)
        }
    }

    private func checkFilter(_ filter: Int) throws {
        guard (0..<filterCount).contains(filter) else {
            throw IndexError.invalidQuery("\(filter)", reason: "model '\(model.name)' has filters 0 to \(filterCount - 1)")
        }
    }

    // MARK: Writing (by the indexer)

    static func store(_ activations: FilterActivations, songID: Int64, modelID: Int64, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO filter_activations(song_id, model_id, means, peaks, peak_starts, clip_length) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [songID, modelID, VectorBlob.float32(activations.means), VectorBlob.float32(activations.peaks),
                             VectorBlob.float32(activations.peakStarts.map(Float.init)), activations.clipLength])
    }

    static func activations(songID: Int64, modelID: Int64, in db: Database) throws -> FilterActivations? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT means, peaks, peak_starts, clip_length FROM filter_activations WHERE song_id = ? AND model_id = ?
            """, arguments: [songID, modelID]) else { return nil }
        return FilterActivations(means: VectorBlob.float32(from: row["means"]), peaks: VectorBlob.float32(from: row["peaks"]),
                                 peakStarts: VectorBlob.float32(from: row["peak_starts"]).map(Double.init),
                                 clipLength: row["clip_length"])
    }

    /// Records, before a run changes activations, that the rankings no longer match them.
    static func markStale(modelID: Int64, in database: LibraryDatabase) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO filter_rankings_state(model_id, stale) VALUES (?, 1)", arguments: [modelID])
        }
    }

    /// Re-ranks the library if a run (this one, or an earlier one that was killed) changed it.
    static func rebuildIfStale(modelID: Int64, in database: LibraryDatabase) throws {
        let stale = try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT stale FROM filter_rankings_state WHERE model_id = ?", arguments: [modelID])
        }
        if stale ?? true { try rebuild(modelID: modelID, in: database) }
    }

    /// Ranks every filter's clips over the library from the per-song peaks, in one transaction.
    static func rebuild(modelID: Int64, in database: LibraryDatabase) throws {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT song_id, peaks, peak_starts, clip_length FROM filter_activations WHERE model_id = ?",
                                        arguments: [modelID])
            try db.execute(sql: "DELETE FROM filter_rankings WHERE model_id = ?", arguments: [modelID])
            if let first = rows.first {
                let filterCount = (first["peaks"] as Data).count / MemoryLayout<Float>.size
                let peaks = rows.map { VectorBlob.float32(from: $0["peaks"]) }
                let starts = rows.map { VectorBlob.float32(from: $0["peak_starts"]) }
                // Filter-major, so each filter's peaks over the library are one contiguous column.
                var column = [Float](repeating: 0, count: rows.count)
                let insert = try db.makeStatement(sql: """
                    INSERT INTO filter_rankings(model_id, filter, rank, song_id, start, length, activation) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for filter in 0..<filterCount {
                    for song in rows.indices { column[song] = peaks[song][filter] }
                    let best = column.withUnsafeBufferPointer { TopK.select(scores: $0, k: clipsPerFilter) }
                    for (rank, song) in best.enumerated() {
                        let songID: Int64 = rows[song]["song_id"]
                        let length: Double = rows[song]["clip_length"]
                        try insert.execute(arguments: [modelID, filter, rank + 1, songID, Double(starts[song][filter]), length,
                                                       Double(column[song])])
                    }
                }
            }
            try db.execute(sql: "INSERT OR REPLACE INTO filter_rankings_state(model_id, stale) VALUES (?, 0)", arguments: [modelID])
        }
    }
}

/// One entry of a filter's ranking.
public struct RankedClip: Sendable {
    public var rank: Int
    public var song: SongRecord
    public var start: Double
    public var length: Double
    public var activation: Double
}

/// How a song scores in one filter.
public struct SongFilter: Sendable {
    public var filter: Int
    /// The song's mean activation in standard deviations from the library's mean.
    public var zScore: Float
    public var meanActivation: Float
    public var peakActivation: Float
    public var peakStart: Double
    public var clipLength: Double
}

/// A filter at a glance.
public struct FilterSummary: Sendable {
    public var filter: Int
    /// Mean over the library of the songs' mean activations.
    public var meanActivation: Float
    public var standardDeviation: Float
    /// Tags whose predicted probability rises with the filter (Pearson r over songs), strongest first.
    public var correlatedTags: [(tag: String, correlation: Float)]
    /// The song of the filter's strongest clip.
    public var topSong: SongRecord?
}
