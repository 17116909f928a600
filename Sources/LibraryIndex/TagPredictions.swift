import Foundation
import GRDB

/// The tags a model predicts for songs: a song's strongest tags, and the songs strongest in a tag.
public struct TagPredictions {
    public let database: LibraryDatabase
    public let model: ModelRecord

    /// The newest model that has tag predictions, or the one called `name`.
    public init(database: LibraryDatabase, modelName: String?) throws {
        let model: ModelRecord? = try database.read { db in
            try ModelRecord.fetchOne(db, sql: """
                SELECT * FROM models WHERE tag_names != '[]' AND (? IS NULL OR name = ?)
                  AND EXISTS (SELECT 1 FROM song_tags t WHERE t.model_id = models.id)
                ORDER BY created_at DESC LIMIT 1
                """, arguments: [modelName, modelName])
        }
        guard let model else {
            throw IndexError.invalidQuery(modelName ?? "tags", reason:
                "no tag predictions in the index; index with a tagging model first, e.g. `soundmap index DIR --model musicnn-mtt`")
        }
        self.database = database
        self.model = model
    }

    /// The song's tags, most probable first.
    public func tags(of song: SongRecord) throws -> [(tag: String, probability: Float)] {
        let blob = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT probabilities FROM song_tags WHERE song_id = ? AND model_id = ?",
                              arguments: [song.id, model.id])
        }
        guard let blob else { throw IndexError.invalidQuery(song.label, reason: "it has no tags from model '\(model.name)'") }
        return zip(model.tags, VectorBlob.float32(from: blob)).sorted { $0.1 > $1.1 }.map { ($0.0, $0.1) }
    }

    /// The `limit` songs with the highest probability of `tag`.
    public func songs(withTag tag: String, limit: Int) throws -> [(song: SongRecord, probability: Float)] {
        guard let column = model.tags.firstIndex(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) else {
            throw IndexError.invalidQuery(tag, reason: "model '\(model.name)' has no such tag; it knows: \(model.tags.joined(separator: ", "))")
        }
        let scored = try database.tagProbabilities(modelID: model.id!).map { ($0.key, $0.value[column]) }
        let best = scored.sorted { $0.1 > $1.1 }.prefix(limit)
        let songs = try database.songs(ids: best.map(\.0))
        return best.compactMap { id, probability in songs[id].map { ($0, probability) } }
    }
}

extension LibraryDatabase {
    /// Every song's tag probabilities from one model, by song id.
    func tagProbabilities(modelID: Int64) throws -> [Int64: [Float]] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT song_id, probabilities FROM song_tags WHERE model_id = ?", arguments: [modelID])
            return Dictionary(rows.map { row -> (Int64, [Float]) in (row["song_id"], VectorBlob.float32(from: row["probabilities"])) }) { first, _ in first }
        }
    }
}
