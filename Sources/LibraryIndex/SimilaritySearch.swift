import AudioIO
import Encoders
import Foundation
import GRDB

/// One answer of `similar`.
public struct SimilarSong: Sendable {
    public var rank: Int
    public var score: Float
    public var song: SongRecord
    /// The matching moment, when searching clips.
    public var clip: ClipLocation?
}

/// Finds the songs (or the moments of songs) that sound most like a query.
public struct SimilaritySearch {
    public let database: LibraryDatabase
    public let model: ModelRecord
    public let encoder: any SongEncoder

    /// Opens the search for a model; fails if the index holds no vectors of it.
    public init(database: LibraryDatabase, modelName: String) throws {
        let encoder = try EncoderCatalog.encoder(named: modelName)
        guard let model = try database.model(named: modelName) else { throw IndexError.noEmbeddings(model: modelName) }
        self.database = database
        self.model = model
        self.encoder = encoder
    }

    public func similar(to query: SongQuery, k: Int, byClip: Bool = false) throws -> [SimilarSong] {
        let excluded = Set([query.songID].compactMap { $0 })
        if byClip {
            let clips = try ClipIndex.load(from: database, model: model)
            let matches = clips.nearest(to: try rawVector(for: query), k: k, excludingSongs: excluded)
            let songs = try database.songs(ids: matches.map(\.clip.songID))
            return matches.enumerated().compactMap { index, match in
                songs[match.clip.songID].map { SimilarSong(rank: index + 1, score: match.score, song: $0, clip: match.clip) }
            }
        }
        let matrix = try EmbeddingMatrix.load(from: database, model: model)
        let prepared: [Float]
        if case .song(let song) = query, let row = matrix.preparedRow(of: song.id!) {
            prepared = row
        } else {
            prepared = matrix.prepared(try rawVector(for: query))
        }
        let matches = matrix.nearest(to: prepared, k: k, excluding: excluded)
        let songs = try database.songs(ids: matches.map(\.id))
        return matches.enumerated().compactMap { index, match in
            songs[match.id].map { SimilarSong(rank: index + 1, score: match.score, song: $0) }
        }
    }

    /// The model's vector for the query, as stored or computed now.
    public func rawVector(for query: SongQuery) throws -> [Float] {
        switch query {
        case .song(let song):
            let blob = try database.read { db in
                try Data.fetchOne(db, sql: "SELECT vector FROM embeddings WHERE song_id = ? AND model_id = ?",
                                  arguments: [song.id, model.id])
            }
            guard let blob else {
                let reason = song.status == .failed ? "it could not be indexed: \(song.error ?? "unknown error")"
                    : "it is not indexed with model '\(model.name)' yet"
                throw IndexError.invalidQuery(song.label, reason: reason)
            }
            return VectorBlob.float32(from: blob)
        case .file(let path):
            let decoder = try AudioDecoder(path: path, outputRate: encoder.sampleRate)
            return try encoder.embed(decoder, progress: { _ in }).vector
        case .clip(let source, let start, let length):
            let path: PathBytes
            switch source {
            case .song(let song): path = song.pathBytes
            case .file(let file): path = file
            case .clip: throw IndexError.invalidQuery("\(query)", reason: "a clip of a clip")
            }
            let decoder = try AudioDecoder(path: path, outputRate: encoder.sampleRate)
            let samples = try decoder.readClip(start: start, duration: length)
            guard !samples.isEmpty else {
                throw IndexError.invalidQuery(path.description, reason: "the clip starts after the end (\(formatTime(decoder.info.duration)))")
            }
            return try encoder.embed(samples: samples).vector
        }
    }
}

extension SongQuery {
    /// The indexed song the query is about, which results leave out.
    public var songID: Int64? {
        switch self {
        case .song(let song): song.id
        case .file: nil
        case .clip(let source, _, _): source.songID
        }
    }
}
