import AudioIO
import Foundation
import GRDB

/// Writes the index in formats other programs read: CSV, JSON, numpy `.npy`, M3U playlists.
public enum Exporter {
    /// Songs (with their raw vectors) of one model, in id order.
    public static func rows(from database: LibraryDatabase, model: ModelRecord) throws -> [(song: SongRecord, vector: [Float])] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.*, e.vector AS embedding FROM songs s JOIN embeddings e ON e.song_id = s.id
                WHERE e.model_id = ? AND s.status = 'ok' ORDER BY s.id
                """, arguments: [model.id])
            return try rows.map { row in (try SongRecord(row: row), VectorBlob.float32(from: row["embedding"])) }
        }
    }

    static let metadataColumns = ["id", "path", "title", "artist", "album", "year", "genre", "duration"]

    static func metadataFields(_ song: SongRecord) -> [String] {
        [String(song.id!), song.displayPath, song.title ?? "", song.artist ?? "", song.album ?? "",
         song.year.map(String.init) ?? "", song.genre ?? "", song.duration.map { String(format: "%.3f", $0) } ?? ""]
    }

    /// One CSV: metadata columns then `e0 … e{d−1}`; pandas reads it with `read_csv` as is.
    public static func csv(_ rows: [(song: SongRecord, vector: [Float])], dimension: Int, includeVectors: Bool = true) -> String {
        var header = metadataColumns
        if includeVectors { header += (0..<dimension).map { "e\($0)" } }
        var lines = [header.joined(separator: ",")]
        for (song, vector) in rows {
            var fields = metadataFields(song).map(CSV.escape)
            if includeVectors { fields += vector.map { "\($0)" } }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"model": {...}, "songs": [{..., "vector": [...]}]}`; `path_hex` carries names that are not UTF-8.
    public static func json(_ rows: [(song: SongRecord, vector: [Float])], model: ModelRecord) throws -> Data {
        struct Song: Encodable {
            var id: Int64
            var path: String
            var path_hex: String?
            var title, artist, album, genre: String?
            var year: Int?
            var duration: Double?
            var vector: [Float]
        }
        struct Document: Encodable {
            var model: ModelRecord
            var songs: [Song]
        }
        let songs = rows.map { song, vector in
            Song(id: song.id!, path: song.displayPath,
                 path_hex: song.pathBytes.isValidUTF8 ? nil : song.path.map { String(format: "%02x", $0) }.joined(),
                 title: song.title, artist: song.artist, album: song.album, genre: song.genre, year: song.year,
                 duration: song.duration, vector: vector)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Document(model: model, songs: songs))
    }

    /// A float32 `.npy` array of rows × columns, as `numpy.load` expects.
    public static func npy(rows: Int, columns: Int, values: [Float]) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: header.utf8)
        values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        return data
    }

    /// An extended M3U playlist; paths are written as raw bytes so every player finds the files.
    public static func m3u(_ songs: [SongRecord]) -> Data {
        var data = Data("#EXTM3U\n".utf8)
        for song in songs {
            let seconds = Int((song.duration ?? -1).rounded())
            data.append(contentsOf: "#EXTINF:\(seconds),\(song.label.replacingOccurrences(of: "\n", with: " "))\n".utf8)
            data.append(song.path)
            data.append(contentsOf: "\n".utf8)
        }
        return data
    }
}
