import AudioIO
import Encoders
import Foundation
import GRDB
@testable import LibraryIndex
import Testing
import TestSupport

@Suite struct IndexerTests {
    let scratch = TemporaryDirectory()
    var musicFolder: String { scratch.path + "/music" }

    func makeIndex() throws -> (LibraryDatabase, Indexer) {
        let database = try LibraryDatabase(path: scratch.file("index/library.sqlite"))
        return (database, Indexer(database: database, encoder: BaselineEncoder(), threads: 2))
    }

    func run(_ indexer: Indexer, _ folders: [String]? = nil) throws -> IndexSummary {
        try indexer.run(roots: (folders ?? [musicFolder]).map { PathBytes($0) })
    }

    @Test func aSecondRunTouchesNothing() throws {
        _ = scratch.makeSubdirectory("music")
        try Corpus.songs(in: musicFolder, count: 6)
        let (database, indexer) = try makeIndex()
        let first = try run(indexer)
        #expect(first.added == 6)
        #expect(first.failed.isEmpty)
        let second = try run(indexer)
        #expect(second.unchanged == 6)
        #expect(second.added + second.updated + second.removed == 0)
        let stats = try LibraryStats.gather(from: database)
        #expect(stats.songs == 6)
        #expect(stats.models.first?.songs == 6)
        #expect(stats.formats.map(\.format).sorted() == ["flac", "mp3", "vorbis", "wav"])
    }

    @Test func changedRemovedAndMovedFilesAreFollowed() throws {
        _ = scratch.makeSubdirectory("music")
        let paths = try Corpus.songs(in: musicFolder, count: 5)
        let (database, indexer) = try makeIndex()
        _ = try run(indexer)
        let movedBefore = try database.song(path: PathBytes(paths[1]).resolved()!)!

        try Signals.writeFile(paths[0], format: .flac, rate: 44_100, channels: [Signals.noise(seconds: 3, rate: 44_100)])
        try FileManager.default.removeItem(atPath: paths[2])
        let newPath = scratch.makeSubdirectory("music/renamed") + "/moved.ogg"
        try FileManager.default.moveItem(atPath: paths[1], toPath: newPath)

        let summary = try run(indexer)
        #expect(summary.updated == 1)
        #expect(summary.removed == 1)
        #expect(summary.moved == 1)
        #expect(summary.unchanged == 2)
        let movedAfter = try #require(try database.song(path: PathBytes(newPath).resolved()!))
        #expect(movedAfter.id == movedBefore.id)
        #expect(movedAfter.title == movedBefore.title)
        #expect(try LibraryStats.gather(from: database).songs == 4)
    }

    @Test func foldersIndexedSeparatelyDoNotRemoveEachOther() throws {
        let first = scratch.makeSubdirectory("one")
        let second = scratch.makeSubdirectory("two")
        try Corpus.songs(in: first, count: 2)
        try Corpus.songs(in: second, count: 3, firstSeed: 50)
        let (database, indexer) = try makeIndex()
        _ = try run(indexer, [first])
        let summary = try run(indexer, [second])
        #expect(summary.removed == 0)
        #expect(try LibraryStats.gather(from: database).songs == 5)
    }

    @Test func aMissingFolderChangesNothing() throws {
        _ = scratch.makeSubdirectory("music")
        try Corpus.songs(in: musicFolder, count: 2)
        let (database, indexer) = try makeIndex()
        _ = try run(indexer)
        #expect(throws: IndexError.rootMissing(scratch.path + "/unmounted")) {
            try run(indexer, [scratch.path + "/unmounted"])
        }
        #expect(try LibraryStats.gather(from: database).songs == 2)
    }

    @Test func badInputIsReportedAndNothingElseIsLost() throws {
        _ = scratch.makeSubdirectory("music")
        try Corpus.songs(in: musicFolder, count: 3)
        let bad = try Corpus.badInputs(in: musicFolder, includeTenHourFile: false)
        let (database, indexer) = try makeIndex()
        let summary = try run(indexer)
        for file in bad {
            let record = try #require(try database.song(path: file.path.resolved() ?? file.path), "\(file.path)")
            switch file.expectation {
            case .indexed:
                #expect(record.status == .ok, "\(file.path): \(record.error ?? "")")
            case .failed(let reason):
                #expect(record.status == .failed, "\(file.path)")
                #expect(record.error?.contains(reason) == true, "\(file.path): \(record.error ?? "no reason")")
            }
        }
        #expect(summary.failed.count == bad.filter { $0.expectation != .indexed }.count)
        #expect(try LibraryStats.gather(from: database).songs == 3 + bad.filter { $0.expectation == .indexed }.count)
        // Nothing that lacks audio reaches the vectors, and no vector holds a NaN.
        let vectors = try database.read { db in try Data.fetchAll(db, sql: "SELECT vector FROM embeddings") }
        #expect(vectors.allSatisfy { VectorBlob.float32(from: $0).allSatisfy { $0.isFinite } })
        // A second run leaves failed files alone unless asked.
        #expect(try run(indexer).failed.isEmpty)
        #expect(try indexer.run(roots: [PathBytes(musicFolder)], retryFailed: true).failed.count == summary.failed.count)
    }

    @Test func truncatedFilesKeepWhatCameBeforeTheDamage() throws {
        _ = scratch.makeSubdirectory("music")
        try Signals.writeFile(musicFolder + "/whole.wav", format: .wav, rate: 44_100, channels: [Signals.melody(seconds: 6, rate: 44_100)])
        try Corpus.truncate(musicFolder + "/whole.wav", keeping: 0.5)
        let (database, indexer) = try makeIndex()
        _ = try run(indexer)
        let record = try #require(try database.song(path: PathBytes(musicFolder + "/whole.wav").resolved()!))
        #expect(record.status == .ok)
        // The header claims 6 s; the decoded truth is 3 s.
        #expect(abs((record.duration ?? 0) - 3) < 0.05)
    }

    @Test func sidecarMetadataOverridesTags() throws {
        _ = scratch.makeSubdirectory("music")
        let paths = try Corpus.songs(in: musicFolder, count: 2)
        let name = (paths[0] as NSString).lastPathComponent
        try "path,title,artist,year\n\"\(name)\",\"Billboard, Number One\",The Band,1969\n"
            .write(toFile: musicFolder + "/soundmap.csv", atomically: true, encoding: .utf8)
        let (database, indexer) = try makeIndex()
        _ = try run(indexer)
        let record = try #require(try database.song(path: PathBytes(paths[0]).resolved()!))
        #expect(record.title == "Billboard, Number One")
        #expect(record.artist == "The Band")
        #expect(record.year == 1969)
        // Editing the CSV later updates the song without decoding it again.
        try "path,year\n\(name),1970\n".write(toFile: musicFolder + "/soundmap.csv", atomically: true, encoding: .utf8)
        let summary = try run(indexer)
        #expect(summary.unchanged == 2)
        let updated = try #require(try database.song(path: PathBytes(paths[0]).resolved()!))
        #expect(updated.year == 1970)
        #expect(updated.title == "Song 0")
    }

    @Test func aFileNamedByTheCrashJournalIsMarkedFailedOnce() throws {
        _ = scratch.makeSubdirectory("music")
        let paths = try Corpus.songs(in: musicFolder, count: 3)
        let (database, indexer) = try makeIndex()
        let culprit = PathBytes(paths[1]).resolved()!.bytes
        var record = Data([UInt8(culprit.count & 0xff), UInt8(culprit.count >> 8), 0, 0])
        record.append(contentsOf: culprit)
        try record.write(to: URL(fileURLWithPath: database.path + "-crashes"))
        let summary = try run(indexer)
        #expect(summary.failed.count == 1)
        #expect(summary.failed.first?.reason.contains("crashed Soundmap") == true)
        #expect(summary.added == 2)
        let journal = FileManager.default.contents(atPath: database.path + "-crashes") ?? Data()
        #expect(journal.isEmpty, "the journal is consumed")
        #expect(try indexer.run(roots: [PathBytes(musicFolder)], retryFailed: true).updated == 1)
    }

    @Test func readersSeeWholeSongsWhileIndexingRuns() async throws {
        _ = scratch.makeSubdirectory("music")
        try Corpus.songs(in: musicFolder, count: 8)
        let (database, indexer) = try makeIndex()
        let folder = musicFolder
        let writer = Task.detached { try indexer.run(roots: [PathBytes(folder)]) }
        var observations = 0
        while observations < 200 {
            let (songs, embedded) = try database.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM songs WHERE status = 'ok'") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embeddings") ?? 0)
            }
            #expect(songs == embedded, "a song without its vector was visible")
            observations += 1
            if songs == 8 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await writer.value
    }

    @Test func symlinkLoopsAndHiddenFilesAreSkipped() throws {
        let folder = scratch.makeSubdirectory("music/sub")
        try Corpus.songs(in: folder, count: 1)
        try Corpus.songs(in: scratch.makeSubdirectory("music/.hidden"), count: 1)
        symlink(scratch.path + "/music", folder + "/loop")
        symlink(folder + "/song 0 style0.flac", scratch.path + "/music/link to song.flac")
        let scan = try FileScanner.scan(roots: [PathBytes(musicFolder)])
        #expect(scan.audioFiles.count == 1)
    }
}
