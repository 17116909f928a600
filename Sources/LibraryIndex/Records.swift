import AudioIO
import Encoders
import Foundation
import GRDB

/// A row of `songs`.
public struct SongRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "songs"

    public enum Status: String, Codable, Sendable { case ok, failed }

    public var id: Int64?
    public var path: Data
    public var displayPath: String
    public var size: Int64
    public var mtime: Double
    public var fingerprint: String
    public var format: String?
    public var sampleRate: Int?
    public var channels: Int?
    public var duration: Double?
    public var title: String?
    public var artist: String?
    public var album: String?
    public var date: String?
    public var year: Int?
    public var genre: String?
    public var tags: String?
    public var status: Status
    public var error: String?
    public var warning: String?
    public var indexedAt: Double

    enum CodingKeys: String, CodingKey {
        case id, path, size, mtime, fingerprint, format, duration, title, artist, album, date, year, genre, tags
        case status, error, warning, channels
        case displayPath = "display_path"
        case sampleRate = "sample_rate"
        case indexedAt = "indexed_at"
    }

    public var pathBytes: PathBytes { PathBytes(bytes: [UInt8](path)) }

    /// "Artist — Title", or the title alone.
    public var label: String {
        let name = title ?? pathBytes.description
        if let artist, !artist.isEmpty { return "\(artist) — \(name)" }
        return name
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `models`.
public struct ModelRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "models"
    public var id: Int64?
    public var name: String
    public var version: Int
    public var dimension: Int
    public var standardize: Bool
    public var summary: String
    public var createdAt: Double
    /// JSON array of tag names in output order.
    public var tagNames: String = "[]"

    public init(id: Int64?, name: String, version: Int, dimension: Int, standardize: Bool, summary: String, createdAt: Double) {
        self.id = id
        self.name = name
        self.version = version
        self.dimension = dimension
        self.standardize = standardize
        self.summary = summary
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, version, dimension, standardize, summary
        case createdAt = "created_at"
        case tagNames = "tag_names"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var tags: [String] { (try? JSONDecoder().decode([String].self, from: Data(tagNames.utf8))) ?? [] }
}

extension LibraryDatabase {
    /// The id of `descriptor`'s model row, created on first use.
    public func modelID(for descriptor: ModelDescriptor) throws -> Int64 {
        try write { db in
            if let existing = try ModelRecord.filter(Column("name") == descriptor.name && Column("version") == descriptor.version)
                .fetchOne(db) {
                return existing.id!
            }
            var record = ModelRecord(id: nil, name: descriptor.name, version: descriptor.version,
                                     dimension: descriptor.dimension, standardize: descriptor.standardize,
                                     summary: descriptor.summary, createdAt: Date().timeIntervalSince1970)
            record.tagNames = String(decoding: try JSONEncoder().encode(descriptor.tagNames), as: UTF8.self)
            try record.insert(db)
            return record.id!
        }
    }

    /// The newest version of the model called `name` that has vectors, if any.
    public func model(named name: String) throws -> ModelRecord? {
        try read { db in
            try ModelRecord.fetchOne(db, sql: """
                SELECT * FROM models WHERE name = ? AND EXISTS (SELECT 1 FROM embeddings WHERE model_id = models.id)
                ORDER BY version DESC LIMIT 1
                """, arguments: [name])
        }
    }

    public func song(id: Int64) throws -> SongRecord? {
        try read { db in try SongRecord.fetchOne(db, key: id) }
    }

    public func song(path: PathBytes) throws -> SongRecord? {
        try read { db in try SongRecord.filter(Column("path") == Data(path.bytes)).fetchOne(db) }
    }

    /// Every song with a vector, in artist, album, title order.
    public func indexedSongs() throws -> [SongRecord] {
        try read { db in
            try SongRecord.fetchAll(db, sql: "SELECT * FROM songs WHERE status = 'ok' ORDER BY artist, album, title, id")
        }
    }

    public func songs(ids: [Int64]) throws -> [Int64: SongRecord] {
        try read { db in
            let records = try SongRecord.filter(keys: ids).fetchAll(db)
            return Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0) })
        }
    }
}

/// Vectors as blobs: float32 for songs (exact), float16 for clips (many, and search needs no more).
enum VectorBlob {
    static func float32(_ vector: [Float]) -> Data {
        vector.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    static func float32(from data: Data) -> [Float] {
        var vector = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
        _ = vector.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return vector
    }

    static func float16(_ vector: [Float]) -> Data {
        let halves = vector.map { Float16($0) }
        return halves.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    static func float16(from data: Data) -> [Float] {
        var halves = [Float16](repeating: 0, count: data.count / MemoryLayout<Float16>.size)
        _ = halves.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return halves.map { Float($0) }
    }
}
