import DSP
import Foundation
import GRDB

/// Where a clip lies.
public struct ClipLocation: Sendable, Equatable {
    public var songID: Int64
    public var start: Double
    public var length: Double
}

/// The clip vectors of one model, searchable like songs: finds the moments that sound alike.
public struct ClipIndex: Sendable {
    public let matrix: EmbeddingMatrix
    public let locations: [Int64: ClipLocation]

    public static func load(from database: LibraryDatabase, model: ModelRecord) throws -> ClipIndex {
        let (ids, values, locations) = try database.read { db -> ([Int64], [Float], [Int64: ClipLocation]) in
            var ids: [Int64] = []
            var values: [Float] = []
            var locations: [Int64: ClipLocation] = [:]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT c.id, c.song_id, c.start, c.length, c.vector FROM clips c JOIN songs s ON s.id = c.song_id
                WHERE c.model_id = ? AND s.status = 'ok' ORDER BY c.id
                """, arguments: [model.id])
            while let row = try cursor.next() {
                let blob: Data = row[4]
                guard blob.count == model.dimension * MemoryLayout<Float16>.size else { continue }
                let id: Int64 = row[0]
                ids.append(id)
                values.append(contentsOf: VectorBlob.float16(from: blob))
                locations[id] = ClipLocation(songID: row[1], start: row[2], length: row[3])
            }
            return (ids, values, locations)
        }
        let matrix = EmbeddingMatrix(model: model, ids: ids, rawRows: Matrix(rows: ids.count, columns: model.dimension, values: values))
        return ClipIndex(matrix: matrix, locations: locations)
    }

    /// The best-matching clips, at most one per song, leaving out `excludedSongs`.
    public func nearest(to rawVector: [Float], k: Int, excludingSongs excludedSongs: Set<Int64> = [])
        -> [(clip: ClipLocation, score: Float)] {
        let query = matrix.prepared(rawVector)
        var seen = excludedSongs
        var results: [(clip: ClipLocation, score: Float)] = []
        // Several clips of one song may lead; widen the search until k distinct songs are found.
        var width = k * 4
        while results.count < k {
            results.removeAll()
            seen = excludedSongs
            for (id, score) in matrix.nearest(to: query, k: width) {
                guard let location = locations[id], seen.insert(location.songID).inserted else { continue }
                results.append((location, score))
                if results.count == k { break }
            }
            if width >= matrix.count { break }
            width *= 4
        }
        return results
    }
}
