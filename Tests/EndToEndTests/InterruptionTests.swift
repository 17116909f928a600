import Foundation
import GRDB
import LibraryIndex
import Testing
import TestSupport

/// Indexing killed at random moments must leave a usable index and resume to the same result.
@Suite struct InterruptionTests {
    let scratch = TemporaryDirectory(prefix: "soundmap-kill")

    /// What an index says about one song: exact fields, and vectors that agree to rounding.
    struct SongState {
        var fields: String
        var vector: [Float]
        var clips: [(start: Double, vector: [Float])]

        /// Patches of different songs share forward calls, and BLAS may pick another kernel for another
        /// batch size (OpenBLAS's small-matrix kernels on AVX-512 machines), so a resumed run's vectors
        /// match the reference to float rounding, not bit for bit. Clip vectors are stored as float16.
        func matches(_ other: SongState) -> Bool {
            fields == other.fields && vector.count == other.vector.count
                && (vector.isEmpty || maxRelativeToPeak(vector, other.vector) < 1e-5)
                && clips.count == other.clips.count
                && zip(clips, other.clips).allSatisfy { mine, theirs in
                    mine.start == theirs.start && mine.vector.count == theirs.vector.count
                        && maxRelativeToPeak(mine.vector, theirs.vector) < 2e-3
                }
        }
    }

    /// Everything an index says about its songs, keyed by path, independent of row ids.
    func dump(_ path: String) throws -> [String: SongState] {
        let database = try LibraryDatabase(path: path)
        return try database.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'ok' AND id NOT IN (SELECT song_id FROM embeddings)") == 0,
                    "a song without its vector")
            var songs: [String: SongState] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, s.display_path, s.status, s.title, s.duration, s.fingerprint, e.vector
                FROM songs s LEFT JOIN embeddings e ON e.song_id = s.id
                """) {
                let fields: [String?] = [row["status"], row["title"], (row["duration"] as Double?).map { "\($0)" },
                                         row["fingerprint"]]
                let clips = try Row.fetchAll(db, sql: "SELECT start, vector FROM clips WHERE song_id = ? ORDER BY start",
                                             arguments: [row["id"] as Int64])
                songs[row["display_path"]] = SongState(
                    fields: fields.map { $0 ?? "-" }.joined(separator: "|"),
                    vector: (row["vector"] as Data?).map(float32s) ?? [],
                    clips: clips.map { ($0["start"], float16s($0["vector"])) })
            }
            return songs
        }
    }

    func float32s(_ blob: Data) -> [Float] {
        blob.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    func float16s(_ blob: Data) -> [Float] {
        blob.withUnsafeBytes { $0.bindMemory(to: Float16.self).map(Float.init) }
    }

    @Test func killDashNineAtRandomMomentsThenResume() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 16, seconds: 5)
        let reference = scratch.file("reference.sqlite")
        #expect(try SoundmapBinary.run(["index", music, "--index", reference, "--quiet"]).status == 0)
        // Kill moments spread over a run, however fast this machine and build index: timed on a second
        // fresh index, as warm as the runs below (the first run also pays for a cold start), and
        // drawn from its first part, so that a run finishing before its kill (which leaves nothing
        // for the next ones to do) stays rare.
        let started = Date()
        #expect(try SoundmapBinary.run(["index", music, "--index", scratch.file("timing.sqlite"), "--quiet"]).status == 0)
        let runSeconds = Date().timeIntervalSince(started)
        let expected = try dump(reference)
        #expect(expected.count == 16)

        let interrupted = scratch.file("interrupted.sqlite")
        var generator = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970))
        var kills = 0
        for _ in 0..<6 {
            let process = try SoundmapBinary.start(["index", music, "--index", interrupted, "--quiet"])
            let delay = Double.random(in: 0.02...0.6, using: &generator) * runSeconds
            if process.wait(timeout: delay) == nil {
                process.stop(signal: SIGKILL)
                kills += 1
            }
            // The index opens after every kill, with whole songs only.
            _ = try dump(interrupted)
        }
        let final = try SoundmapBinary.run(["index", music, "--index", interrupted, "--quiet"])
        #expect(final.status == 0)
        let resumed = try dump(interrupted)
        #expect(resumed.keys.sorted() == expected.keys.sorted())
        for (path, song) in expected where resumed[path].map(song.matches) != true {
            Issue.record("\(path) differs:\n  expected \(song)\n  resumed  \(resumed[path].map { "\($0)" } ?? "missing")")
        }
        #expect(kills > 0, "no run was killed: the corpus indexes too fast for the chosen delays")
    }

    @Test func aDecoderCrashIsPinnedOnItsFileAndTheNextRunGoesOn() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 6)
        let index = scratch.file("library.sqlite")
        let crashing = try SoundmapBinary.run(["index", music, "--index", index, "--quiet"],
                                              environment: ["SOUNDMAP_FAULT_INJECTION": "crash-on:song 3 "])
        #expect(crashing.status == 128 + SIGSEGV, "the run dies as a real decoder crash would")
        let next = try SoundmapBinary.run(["index", music, "--index", index])
        #expect(next.status == 0)
        #expect(next.output.contains("failed 1"))
        #expect(next.output.contains("song 3 style0.mp3"))
        #expect(next.output.contains("crashed Soundmap while being decoded"))
        #expect(try dump(index).values.filter { $0.fields.hasPrefix("ok|") }.count == 5)
        let retry = try SoundmapBinary.run(["index", music, "--index", index, "--retry-failed"])
        #expect(retry.output.contains("failed 0"))
        #expect(try dump(index).values.filter { $0.fields.hasPrefix("ok|") }.count == 6)
    }

    @Test func controlCStopsCleanlyAndTheNextRunFinishes() throws {
        let music = scratch.makeSubdirectory("music")
        try Corpus.songs(in: music, count: 12, seconds: 5)
        let index = scratch.file("library.sqlite")
        let output = scratch.file("out")
        let process = try SoundmapBinary.start(["index", music, "--index", index, "--threads", "1"], output: output)
        Thread.sleep(forTimeInterval: 1.0)
        process.stop(signal: SIGINT)
        let said = try String(contentsOfFile: output, encoding: .utf8)
        if said.contains("Interrupted") {
            #expect(said.contains("run the same command again to continue"))
        }
        let rerun = try SoundmapBinary.run(["index", music, "--index", index])
        #expect(rerun.status == 0)
        #expect(try dump(index).count == 12)
    }
}
