import AudioIO
import Foundation
import Testing
import TestSupport

/// The built `soundmap` binary on real files, as a person would use it.
@Suite struct CommandLineTests {
    let scratch = TemporaryDirectory(prefix: "soundmap-e2e")
    var index: String { scratch.file("library.sqlite") }

    func soundmap(_ arguments: String...) throws -> SoundmapBinary.Result {
        try SoundmapBinary.run(arguments)
    }

    @Test func indexSearchSimilarStatsAndExport() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 9)
        let first = try soundmap("index", music, "--index", index)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("added 9"))
        #expect(first.error.contains("9/9 files"), "the progress line reaches the end")

        #expect(first.output.contains("Mapped 9 songs"), "indexing draws the map: \(first.output)")
        let again = try soundmap("index", music, "--index", index)
        #expect(again.output.contains("unchanged 9"))
        #expect(!again.output.contains("Mapped"), "an unchanged library keeps its map")

        let clusters = try soundmap("clusters", "--index", index, "--json")
        #expect(clusters.status == 0, "\(clusters.error)")
        let clusterList = try JSONSerialization.jsonObject(with: Data(clusters.output.utf8)) as! [[String: Any]]
        let clustered = clusterList.map { $0["size"] as! Int }.reduce(0, +)
        let noise = try JSONSerialization.jsonObject(with: Data(try soundmap("clusters", "noise", "--index", index, "--json").output.utf8))
            as! [[String: Any]]
        #expect(clustered + noise.count == 9)
        let years = try soundmap("years", "--index", index)
        #expect(years.status != 0)
        #expect(years.error.contains("songs need a year"))

        let stats = try soundmap("stats", "--index", index, "--json")
        let summary = try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as! [String: Any]
        #expect(summary["songs"] as? Int == 9)
        let model = (summary["models"] as? [[String: Any]])?.first
        #expect(model?["mappedSongs"] as? Int == 9, "stats tells the map's size")

        let similar = try soundmap("similar", "Song 4", "--index", index, "-k", "3", "--json")
        #expect(similar.status == 0, "\(similar.error)")
        let results = try JSONSerialization.jsonObject(with: Data(similar.output.utf8)) as! [[String: Any]]
        #expect(results.count == 3)
        #expect(results.allSatisfy { ($0["title"] as? String) != "Song 4" })

        let text = try soundmap("similar", "Song 4", "--index", index, "-k", "3")
        #expect(text.output.contains("Most similar to Artist 1 — Song 4"))

        let clips = try soundmap("similar", "Song 4@0:01+2s", "--clips", "--index", index, "-k", "2", "--json")
        let clipResults = try JSONSerialization.jsonObject(with: Data(clips.output.utf8)) as! [[String: Any]]
        #expect(clipResults.count == 2)
        #expect(clipResults.allSatisfy { $0["clipStart"] != nil })

        let outside = scratch.file("elsewhere.ogg")
        try Signals.writeFile(outside, format: .vorbis, rate: 44_100, channels: [Signals.melody(seconds: 4, rate: 44_100)])
        #expect(try soundmap("similar", outside, "--index", index, "-k", "2").status == 0)

        let ambiguous = try soundmap("similar", "Artist", "--index", index)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.error.contains("matches"))

        let npy = scratch.file("export")
        #expect(try soundmap("export", "--format", "npy", "--output", npy, "--index", index).status == 0)
        let matrix = try NumpyArray(contentsOf: URL(fileURLWithPath: npy + "/embeddings.npy"))
        #expect(matrix.shape == [9, 200], "the default model, musicnn-mtt, gives 200-d vectors")
        let csvLines = try String(contentsOfFile: npy + "/songs.csv", encoding: .utf8).split(separator: "\n")
        #expect(csvLines.count == 10)

        let playlist = try soundmap("export", "--format", "m3u", "--similar", "Song 2", "-k", "4", "--index", index)
        #expect(playlist.output.hasPrefix("#EXTM3U"))
        #expect(playlist.output.split(separator: "\n").filter { $0.hasPrefix("/") }.count == 5)

        let search = try soundmap("search", "style2", "--index", index)
        #expect(search.output.split(separator: "\n").count == 3)
    }

    @Test func badInputIsReportedFileByFileAndTheRunCompletes() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 2)
        let bad = try Corpus.badInputs(in: music)
        let unsupported = music + "/podcast.m4a"
        _ = FileManager.default.createFile(atPath: unsupported, contents: Data(repeating: 0, count: 100))
        let run = try soundmap("index", music, "--index", index)
        #expect(run.status == 0, "\(run.error)")
        let failures = bad.filter { $0.expectation != .indexed }
        #expect(run.output.contains("failed \(failures.count)"), "\(run.output)")
        for file in failures {
            if case .failed(let reason) = file.expectation { #expect(run.output.contains(reason)) }
        }
        #expect(run.output.contains("AAC/ALAC in MP4"))
        let stats = try JSONSerialization.jsonObject(with: Data(try soundmap("stats", "--index", index, "--json").output.utf8))
            as! [String: Any]
        #expect(stats["songs"] as? Int == 2 + bad.count - failures.count)
        #expect(stats["failed"] as? Int == failures.count)
    }

    @Test func aTaggingModelIndexesTagsAndFindsSongsByTag() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 3, seconds: 4)
        let run = try soundmap("index", music, "--index", index, "--model", "musicnn-mtt")
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("added 3"))
        let tags = try soundmap("tags", "Song 1", "--index", index, "--json", "-k", "5")
        #expect(tags.status == 0, "\(tags.error)")
        let list = try JSONSerialization.jsonObject(with: Data(tags.output.utf8)) as! [[String: String]]
        #expect(list.count == 5)
        #expect(list.map { Double($0["probability"]!)! } == list.map { Double($0["probability"]!)! }.sorted(by: >))
        let byTag = try soundmap("search", "--tag", list[0]["tag"]!, "--index", index, "-k", "3")
        #expect(byTag.output.split(separator: "\n").count == 4)
        let unknown = try soundmap("search", "--tag", "bagpipe solo", "--index", index)
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("no such tag"))
        let similar = try soundmap("similar", "Song 1", "--model", "musicnn-mtt", "--index", index, "-k", "2")
        #expect(similar.status == 0)

        let overview = try soundmap("filters", "--index", index)
        #expect(overview.status == 0, "\(overview.error)")
        #expect(overview.output.split(separator: "\n").count == 201, "a header and one line per filter")
        let clips = try soundmap("filters", "42", "--index", index, "--json")
        let ranked = try JSONSerialization.jsonObject(with: Data(clips.output.utf8)) as! [[String: Any]]
        #expect(ranked.map { $0["rank"] as? Int } == [1, 2, 3])
        let strongest = try soundmap("filters", "--song", "Song 2", "--index", index, "-k", "4")
        #expect(strongest.output.split(separator: "\n").count == 6)
        let clip = try #require(ranked.first?["clip"] as? String)
        let fromClip = try soundmap("similar", clip, "--index", index, "-k", "1")
        #expect(fromClip.status == 0, "a ranked clip reads back as a query: \(fromClip.error)")
        #expect(try soundmap("filters", "200", "--index", index).error.contains("filters 0 to 199"))
        let noTags = try soundmap("tags", "Song 1", "--index", scratch.file("other.sqlite"))
        #expect(noTags.status != 0)
    }

    @Test func clearErrorsForMissingThings() throws {
        let noIndex = try soundmap("similar", "anything", "--index", scratch.file("none.sqlite"))
        #expect(noIndex.status != 0)
        #expect(noIndex.error.contains("no index at"))
        let noFolder = try soundmap("index", scratch.file("not-there"), "--index", index)
        #expect(noFolder.status != 0)
        #expect(noFolder.error.contains("does not exist"))
        let badModel = try soundmap("index", scratch.path, "--index", index, "--model", "nope")
        #expect(badModel.error.contains("unknown model"))
    }

    @Test func playbackThroughARealServer() throws {
        let server = try PulseAudioServer()
        let music = scratch.makeSubdirectory("music")
        try Signals.writeFile(music + "/beep.wav", format: .wav, rate: 44_100,
                              channels: [Signals.sine(frequency: 880, seconds: 3, rate: 44_100)])
        #expect(try soundmap("index", music, "--index", index).status == 0)
        let recording = try server.startRecording()
        let played = try soundmap("play", "beep@0:01+1s", "--index", index, "--server", server.address)
        let recorded = recording.stop()
        #expect(played.status == 0, "\(played.error)")
        #expect(played.error.contains("Played 0:01"))
        let loud = recorded.filter { abs($0) > 0.1 }.count
        // A sine of amplitude 1/2 exceeds 0.1 for 1 − (2/π)·asin(0.2) = 87 % of its samples.
        #expect(abs(Double(loud) / 44_100 - 0.87) < 0.1, "about one second of the sine came out")

        let unreachable = try soundmap("play", "beep", "--index", index, "--server", "unix:" + scratch.file("nothing"))
        #expect(unreachable.status != 0)
        #expect(unreachable.error.contains("cannot reach a PulseAudio server"))
    }

    /// `filters N --play K` plays a filter's strongest clips, one patch each, back to back.
    @Test func aFiltersStrongestClipsPlayThroughARealServer() throws {
        let server = try PulseAudioServer()
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 3, seconds: 4)
        #expect(try soundmap("index", music, "--index", index).status == 0)
        let recording = try server.startRecording()
        let played = try soundmap("filters", "7", "--play", "2", "--index", index, "--server", server.address)
        let recorded = recording.stop()
        #expect(played.status == 0, "\(played.error)")
        #expect(played.error.contains("▶ 1/2") && played.error.contains("▶ 2/2"))
        let sounding = Double(recorded.filter { abs($0) > 0.01 }.count) / 44_100
        #expect(sounding > 3 && sounding < 6.5, "two 3-second patches came out: \(sounding) s of sound")
        let lonely = try soundmap("filters", "--play", "2", "--index", index)
        #expect(lonely.status != 0, "--play needs a filter")
    }
}
