import Analysis
import Encoders
import Foundation
import GRDB
@testable import LibraryIndex
import Testing
import TestSupport

@Suite struct LibraryAnalyzerTests {
    let scratch = TemporaryDirectory()
    static let groups = 3
    static let songsPerGroup = 30

    /// Songs whose vectors form three well separated groups; each group's songs come from one
    /// decade, so the vectors tell the year. `reversed` stores them in the opposite order, as an
    /// indexer whose workers finish in another order would, so that they get other ids.
    func library(file: String = "library.sqlite", reversed: Bool = false) throws -> (LibraryDatabase, ModelRecord, [Int64: Int]) {
        let database = try LibraryDatabase(path: scratch.file(file))
        let modelID = try database.modelID(for: ModelDescriptor(name: "test", version: 1, dimension: 16, standardize: false,
                                                                summary: "synthetic"))
        var random = SeededGenerator(seed: 17)
        let centres = (0..<Self.groups).map { _ in (0..<16).map { _ in 3 * random.normal() } }
        let songs = (0..<Self.groups).flatMap { group in
            (0..<Self.songsPerGroup).map { index in
                // The year also moves the vector a little along the first axis.
                var vector = centres[group].map { $0 + 0.3 * random.normal() }
                vector[0] += Float(index % 10) * 0.1
                return (group: group, index: index, vector: vector)
            }
        }
        var groupOfSong: [Int64: Int] = [:]
        try database.write { db in
            for (group, index, vector) in reversed ? songs.reversed() : songs {
                let year = 1970 + 20 * group + index % 10
                try db.execute(sql: """
                    INSERT INTO songs(path, display_path, size, mtime, fingerprint, title, year, status, indexed_at)
                    VALUES (?, ?, 1, 0, 'f', ?, ?, 'ok', 0)
                    """, arguments: [Data("/m/\(group)-\(index)".utf8), "/m/\(group)-\(index)", "G\(group) S\(index)", year])
                let id = db.lastInsertedRowID
                try db.execute(sql: """
                    INSERT INTO embeddings(song_id, model_id, vector, analyzed_seconds, audible_seconds) VALUES (?, ?, ?, 30, 30)
                    """, arguments: [id, modelID, VectorBlob.float32(vector)])
                groupOfSong[id] = group
            }
        }
        return (database, try database.model(named: "test")!, groupOfSong)
    }

    /// The same songs make the same map whatever ids the index gave them: the map follows the
    /// songs, not the order in which indexing happened to finish them.
    @Test func theMapDoesNotDependOnTheOrderSongsWereIndexed() throws {
        func placements(reversed: Bool) throws -> [String: SongPlacement] {
            let (database, model, groupOfSong) = try library(file: reversed ? "reversed.sqlite" : "library.sqlite", reversed: reversed)
            _ = try LibraryAnalyzer.analyse(database: database, model: model, settings: AnalysisSettings(songCount: groupOfSong.count))
            let points = try LibraryMap(database: database, modelName: "test").points()
            return Dictionary(uniqueKeysWithValues: points.map { ($0.song.displayPath, $0.placement) })
        }
        let forward = try placements(reversed: false), backward = try placements(reversed: true)
        #expect(forward.count == 90 && backward.count == 90)
        let moved = forward.keys.filter { forward[$0] != backward[$0] }.sorted()
        #expect(moved.isEmpty, "\(moved.count) songs placed otherwise, e.g. \(moved.prefix(3))")
    }

    @Test func findsTheGroupsAndTheirDecades() throws {
        let (database, model, groupOfSong) = try library()
        let outcome = try LibraryAnalyzer.analyse(database: database, model: model,
                                                  settings: AnalysisSettings(songCount: groupOfSong.count))
        guard case .analysed(let songs, let clusters, let yearError) = outcome else { Issue.record("\(outcome)"); return }
        #expect(songs == 90)
        #expect(clusters == 3)
        let map = try LibraryMap(database: database, modelName: "test")
        let points = try map.points()
        #expect(points.count == 90)
        let agreement = HDBSCAN.adjustedRandIndex(points.map(\.cluster), points.map { groupOfSong[$0.song.id!]! })
        #expect(agreement > 0.95)
        let report = try #require(try map.yearReport())
        #expect(report.songs == 90)
        #expect(abs(report.meanAbsoluteError - yearError!) < 1e-9)
        #expect(report.meanAbsoluteError < report.baselineMeanAbsoluteError / 2, "the vectors tell the decade")
        let summaries = try map.clusters()
        #expect(summaries.map(\.size).reduce(0, +) == points.filter { $0.cluster >= 0 }.count)
        for summary in summaries {
            let members = Set(points.filter { $0.cluster == summary.cluster }.map { $0.song.id! })
            #expect(summary.representatives.allSatisfy(members.contains))
            #expect(summary.years.map(\.count).reduce(0, +) == summary.size)
            let decades = Set(summary.years.map { $0.year / 10 })
            #expect(decades.count == 1, "one group, one decade: \(summary.years)")
            #expect(summary.sharePerYear.allSatisfy { $0.share > 0.5 && $0.share <= 1 })
        }
    }

    @Test func updatesOnlyWhatChanged() throws {
        let (database, model, _) = try library()
        #expect(try LibraryAnalyzer.update(database: database, model: model) == .analysed(songs: 90, clusters: 3, yearError:
            try #require(try LibraryMap(database: database, modelName: "test").yearReport()?.meanAbsoluteError)))
        #expect(try LibraryAnalyzer.update(database: database, model: model) == .upToDate)

        let map = try LibraryMap(database: database, modelName: "test")
        let before = try map.clusters()
        let removed = try map.songs(inCluster: before[0].cluster).prefix(4).map { $0.song.id! }
        try database.write { db in _ = try SongRecord.deleteAll(db, keys: removed) }
        #expect(try LibraryAnalyzer.update(database: database, model: model) == .statisticsUpdated(songs: 86))
        let after = try LibraryMap(database: database, modelName: "test").clusters()
        #expect(after.first { $0.cluster == before[0].cluster }?.size == before[0].size - 4)
        #expect(try LibraryMap(database: database, modelName: "test").yearReport()?.songs == 86)

        try database.write { db in try db.execute(sql: "UPDATE songs SET indexed_at = ? WHERE id = (SELECT MIN(id) FROM songs)",
                                                  arguments: [Date().timeIntervalSince1970 + 60]) }
        guard case .analysed(let songs, _, _) = try LibraryAnalyzer.update(database: database, model: model) else {
            Issue.record("a changed song needs a new map")
            return
        }
        #expect(songs == 86)
    }

    @Test func aTinyLibraryHasNoMap() throws {
        let database = try LibraryDatabase(path: scratch.file("tiny.sqlite"))
        let model = ModelDescriptor(name: "test", version: 1, dimension: 4, standardize: false, summary: "synthetic")
        let modelID = try database.modelID(for: model)
        try database.write { db in
            for index in 0..<3 {
                try db.execute(sql: """
                    INSERT INTO songs(path, display_path, size, mtime, fingerprint, status, indexed_at) VALUES (?, ?, 1, 0, 'f', 'ok', 0)
                    """, arguments: [Data("/m/\(index)".utf8), "/m/\(index)"])
                try db.execute(sql: "INSERT INTO embeddings(song_id, model_id, vector, analyzed_seconds, audible_seconds) VALUES (?, ?, ?, 1, 1)",
                               arguments: [db.lastInsertedRowID, modelID, VectorBlob.float32([1, 2, 3, Float(index)])])
            }
        }
        #expect(try LibraryAnalyzer.update(database: database, model: database.model(named: "test")!) == .tooFewSongs(3))
        #expect(throws: IndexError.self) { try LibraryMap(database: database, modelName: "test") }
    }
}
