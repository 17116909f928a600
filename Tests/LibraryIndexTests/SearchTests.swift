import AudioIO
import DSP
import Encoders
import Foundation
@testable import LibraryIndex
import Testing
import TestSupport

@Suite struct SearchTests {
    @Test func topKAgreesWithSorting() {
        var generator = SeededGenerator(seed: 4)
        let scores = (0..<5_000).map { _ in Float.random(in: -1...1, using: &generator) }
        let expected = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(25)
        #expect(scores.withUnsafeBufferPointer { TopK.select(scores: $0, k: 25) } == Array(expected))
        #expect(scores.withUnsafeBufferPointer { TopK.select(scores: $0, k: 10_000) }.count == 5_000)
    }

    func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &generator) })
    }

    @Test func cosineSearchMatchesTheDefinition() {
        let model = ModelRecord(id: 1, name: "test", version: 1, dimension: 16, standardize: true, summary: "", createdAt: 0)
        let raw = randomMatrix(rows: 300, columns: 16, seed: 1)
        let matrix = EmbeddingMatrix(model: model, ids: (0..<300).map { Int64($0 * 10) }, rawRows: raw)
        let query = matrix.prepared(Array(raw.row(7)))
        let found = matrix.nearest(to: query, k: 5)
        #expect(found.first?.id == 70)
        #expect(abs(found.first!.score - 1) < 1e-5)
        // Against a plain double-precision computation over the standardised rows.
        let scores = (0..<300).map { row in zip(matrix.matrix.row(row), query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        let best = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(5).map { Int64($0 * 10) }
        #expect(found.map(\.id) == best)
        #expect(!matrix.nearest(to: query, k: 5, excluding: [70]).contains { $0.id == 70 })
        let batch = matrix.nearest(toMany: Matrix(rows: 1, columns: 16, values: query), k: 5)
        #expect(batch[0].map(\.id) == found.map(\.id))
    }

    @Test func constantDimensionsDoNotBreakStandardisation() {
        let model = ModelRecord(id: 1, name: "test", version: 1, dimension: 3, standardize: true, summary: "", createdAt: 0)
        let matrix = EmbeddingMatrix(model: model, ids: [1, 2, 3],
                                     rawRows: Matrix(rows: 3, columns: 3, values: [1, 5, 0, 2, 5, 1, 3, 5, 0]))
        #expect(matrix.matrix.values.allSatisfy { $0.isFinite })
    }

    @Test(arguments: [("1:20", 80.0, nil), ("80", 80, nil), ("80.5s", 80.5, nil), ("1:02:03+10s", 3723, 10), ("0:30+5", 30, 5)] as [(String, Double, Double?)])
    func clipTimesParse(text: String, start: Double, length: Double?) {
        let parsed = QueryResolver.parseClipTimes(text)
        #expect(parsed?.start == start)
        #expect(parsed?.length == length)
    }

    @Test(arguments: ["", "1:75", "abc", "1:20+0", "-3", "1::2"])
    func badClipTimesAreNotClips(text: String) {
        #expect(QueryResolver.parseClipTimes(text) == nil)
    }

    @Test func queriesResolveToSongsFilesAndClips() throws {
        let scratch = TemporaryDirectory()
        let music = scratch.makeSubdirectory("music")
        let paths = try Corpus.songs(in: music, count: 6)
        let database = try LibraryDatabase(path: scratch.file("library.sqlite"))
        _ = try Indexer(database: database, encoder: BaselineEncoder()).run(roots: [PathBytes(music)])
        let song = try #require(try database.song(path: PathBytes(paths[3]).resolved()!))

        #expect(try QueryResolver.resolve("\(song.id!)", in: database) == .song(song))
        #expect(try QueryResolver.resolve(paths[3], in: database) == .song(song))
        #expect(try QueryResolver.resolve("Song 3", in: database) == .song(song))
        // Words may also match the random temporary folder's name; the full label still picks one song.
        #expect(try QueryResolver.resolve("Artist 0 — Song 3", in: database) == .song(song))
        #expect(throws: IndexError.self) { try QueryResolver.resolve("Artist", in: database) }
        #expect(throws: IndexError.songNotFound("nothing like this")) { try QueryResolver.resolve("nothing like this", in: database) }
        #expect(try QueryResolver.resolve("Song 3@0:01+2s", in: database) == .clip(of: .song(song), start: 1, length: 2))

        let outside = scratch.file("outside.wav")
        try Signals.writeFile(outside, format: .wav, rate: 22_050, channels: [Signals.melody(seconds: 3, rate: 22_050)])
        let outsideQuery = try QueryResolver.resolve(outside, in: database)
        #expect(outsideQuery == .file(PathBytes(outside).resolved()!))

        let search = try SimilaritySearch(database: database, modelName: "baseline")
        let results = try search.similar(to: .song(song), k: 3)
        #expect(results.count == 3)
        #expect(!results.contains { $0.song.id == song.id })
        #expect(results.map(\.score) == results.map(\.score).sorted(by: >))
        // Songs in the same generated style are the nearest (3 styles, 2 songs each).
        #expect(results[0].song.artist == song.artist)
        #expect(try search.similar(to: outsideQuery, k: 6).count == 6)
        let clipResults = try search.similar(to: .clip(of: .song(song), start: 1, length: 2), k: 4, byClip: true)
        #expect(clipResults.count == 4)
        #expect(clipResults.allSatisfy { $0.clip != nil && $0.song.id != song.id })
        #expect(throws: IndexError.self) { try search.similar(to: .clip(of: .song(song), start: 100, length: 2), k: 3) }
    }
}

@Suite struct ClipQueryTests {
    @Test(arguments: [(12, 83.78, 2.992), (3, 0, 10), (7, 3725.25, 3)])
    func aClipReferenceReadsBackAsTheSameClip(song: Int64, start: Double, length: Double) throws {
        let text = QueryResolver.clipQuery(songID: song, start: start, length: length)
        let at = try #require(text.firstIndex(of: "@"))
        #expect(text[..<at] == "\(song)")
        let parsed = try #require(QueryResolver.parseClipTimes(String(text[text.index(after: at)...])))
        #expect(abs(parsed.start - start) < 0.1)
        #expect(abs(parsed.length! - length) < 0.05)
    }
}
