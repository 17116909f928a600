import AudioIO
import Encoders
import Foundation
@testable import LibraryIndex
import Testing
import TestSupport

@Suite struct ExportTests {
    @Test func npyFilesReadBackAsWritten() throws {
        let scratch = TemporaryDirectory()
        let values: [Float] = (0..<(7 * 5)).map { Float($0) * 0.5 }
        let url = URL(fileURLWithPath: scratch.file("a.npy"))
        try Exporter.npy(rows: 7, columns: 5, values: values).write(to: url)
        let array = try NumpyArray(contentsOf: url)
        #expect(array.shape == [7, 5])
        #expect(array.values == values)
        let data = try Data(contentsOf: url)
        #expect((data.count - values.count * 4) % 64 == 0, "header padded to 64 bytes")
    }

    @Test func csvQuotesWhatNeedsQuoting() throws {
        #expect(CSV.escape("plain") == "plain")
        #expect(CSV.escape("a, b") == "\"a, b\"")
        #expect(CSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        let rows = try CSV.parse("path,title\n\"a,b.flac\",\"line\nbreak\"\nc.ogg,\"q\"\"uote\"\n", source: "test")
        #expect(rows == [["path", "title"], ["a,b.flac", "line\nbreak"], ["c.ogg", "q\"uote"]])
        #expect(throws: IndexError.self) { try CSV.parse("a,\"open", source: "test") }
    }

    @Test func exportsCarryEverySongAndRawPathBytes() throws {
        let scratch = TemporaryDirectory()
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 3)
        let latin1 = PathBytes(bytes: Array(music.utf8) + Array("/d".utf8) + [0xE9, 0x6A, 0xE0] + Array(" vu.flac".utf8))
        let writer = try SoundFileWriter(path: latin1, format: .flac, sampleRate: 44_100, channels: 1)
        try writer.write(interleaved: Signals.melody(seconds: 3, rate: 44_100))
        writer.close()
        let database = try LibraryDatabase(path: scratch.file("library.sqlite"))
        _ = try Indexer(database: database, encoder: BaselineEncoder()).run(roots: [PathBytes(music)])
        let model = try #require(try database.model(named: "baseline"))
        let rows = try Exporter.rows(from: database, model: model)
        #expect(rows.count == 4)

        let csv = Exporter.csv(rows, dimension: model.dimension)
        let parsed = try CSV.parse(csv, source: "export")
        #expect(parsed.count == 5)
        #expect(parsed[0].count == 8 + model.dimension)
        #expect(parsed.dropFirst().allSatisfy { $0.count == parsed[0].count })

        let json = try JSONSerialization.jsonObject(with: Exporter.json(rows, model: model)) as! [String: Any]
        let songs = json["songs"] as! [[String: Any]]
        #expect(songs.count == 4)
        #expect(songs.filter { $0["path_hex"] != nil }.count == 1)
        #expect((songs[0]["vector"] as! [Double]).count == model.dimension)

        let playlist = Exporter.m3u(rows.map(\.song))
        #expect(playlist.starts(with: Data("#EXTM3U\n".utf8)))
        #expect(playlist.range(of: Data(latin1.resolved()!.bytes)) != nil)
    }
}
