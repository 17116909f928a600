import AudioIO
import Encoders
import Foundation
import GRDB
@testable import LibraryIndex
import Testing
import TestSupport

/// Indexing with musicnn pools the patches of several songs in each forward call, and every song
/// still gets the vector, tags and clips it gets when embedded on its own.
@Suite struct PatchPipelineTests {
    let scratch = TemporaryDirectory()

    struct IndexedSong {
        var vector: [Float]
        var tags: [Float]
        var clipStarts: [Double]
    }

    func indexedSongs(in database: LibraryDatabase) throws -> [PathBytes: IndexedSong] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.path, e.vector, t.probabilities,
                       (SELECT group_concat(start) FROM (SELECT start FROM clips c WHERE c.song_id = s.id ORDER BY start)) AS starts
                FROM songs s JOIN embeddings e ON e.song_id = s.id JOIN song_tags t ON t.song_id = s.id
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { row in
                let starts = (row["starts"] as String?)?.split(separator: ",").compactMap { Double($0) } ?? []
                return (PathBytes(bytes: [UInt8](row["path"] as Data)),
                        IndexedSong(vector: VectorBlob.float32(from: row["vector"]), tags: VectorBlob.float32(from: row["probabilities"]),
                                    clipStarts: starts))
            })
        }
    }

    func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
    }

    @Test func songsSharingForwardCallsGetTheVectorsTheyGetAlone() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 6, seconds: 4)
        try Corpus.songs(in: scratch.makeSubdirectory("music/long"), count: 1, seconds: 40, firstSeed: 7)
        let bad = try Corpus.badInputs(in: scratch.makeSubdirectory("music/bad"), includeTenHourFile: false)
        let encoder = try #require(try EncoderCatalog.encoder(named: "musicnn-mtt") as? MusicnnEncoder)
        var runs: [[PathBytes: IndexedSong]] = []
        for threads in [1, 2] {
            let database = try LibraryDatabase(path: scratch.file("index \(threads).sqlite"))
            let summary = try Indexer(database: database, encoder: encoder, threads: threads).run(roots: [PathBytes(music)])
            #expect(summary.failed.count == bad.filter { $0.expectation != .indexed }.count)
            #expect(summary.patchesRun >= summary.added + 12, "the long song alone has 13 patches")
            if threads == 1 {
                // Songs end, batches do not: every call is full but the last.
                #expect(summary.forwardCalls == (summary.patchesRun + encoder.batchSize - 1) / encoder.batchSize)
                #expect(summary.forwardCalls < summary.added)
            }
            runs.append(try indexedSongs(in: database))
        }
        #expect(runs[0].count == 7 + bad.filter { $0.expectation == .indexed }.count)
        #expect(Set(runs[0].keys) == Set(runs[1].keys))
        for (path, pooled) in runs[0] {
            let alone = try encoder.embed(AudioDecoder(path: path, outputRate: encoder.sampleRate), progress: { _ in })
            for run in runs {
                let song = try #require(run[path])
                #expect(close(song.vector, alone.vector), "\(path)")
                #expect(close(song.tags, try #require(alone.tagProbabilities)), "\(path)")
                #expect(song.clipStarts.count == alone.clips.count)
                #expect(zip(song.clipStarts, alone.clips).allSatisfy { abs($0 - $1.start) < 1e-9 })
            }
            #expect(pooled.clipStarts.count == (path.description.contains("/long/") ? 2 : 1))
        }
    }
}
