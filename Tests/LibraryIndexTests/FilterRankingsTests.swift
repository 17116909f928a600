import AudioIO
import Encoders
import Foundation
import GRDB
@testable import LibraryIndex
import Testing
import TestSupport

@Suite struct FilterRankingsTests {
    let scratch = TemporaryDirectory()

    /// Songs with made-up activations, written as the indexer writes them.
    func libraryWithActivations(songs: Int, filters: Int, seed: UInt64) throws -> (LibraryDatabase, Int64, [Int64: FilterActivations]) {
        let database = try LibraryDatabase(path: scratch.file("library.sqlite"))
        let modelID = try database.modelID(for: ModelDescriptor(name: "test", version: 1, dimension: filters, standardize: false,
                                                                summary: "synthetic", filterCount: filters))
        var random = SeededGenerator(seed: seed)
        var written: [Int64: FilterActivations] = [:]
        try database.write { db in
            for index in 0..<songs {
                try db.execute(sql: """
                    INSERT INTO songs(path, display_path, size, mtime, fingerprint, title, status, indexed_at)
                    VALUES (?, ?, 1, 0, 'f', ?, 'ok', 0)
                    """, arguments: [Data("/music/\(index).wav".utf8), "/music/\(index).wav", "Song \(index)"])
                let peaks = (0..<filters).map { _ in random.normal() }
                let activations = FilterActivations(means: peaks.map { $0 - 1 }, peaks: peaks,
                                                    peakStarts: (0..<filters).map { _ in Double(Int.random(in: 0..<60, using: &random)) * 3 },
                                                    clipLength: 3)
                try FilterRankings.store(activations, songID: db.lastInsertedRowID, modelID: modelID, in: db)
                written[db.lastInsertedRowID] = activations
            }
        }
        return (database, modelID, written)
    }

    @Test func eachFilterRanksTheStrongestSongsOfTheLibrary() throws {
        let (database, modelID, written) = try libraryWithActivations(songs: 130, filters: 4, seed: 7)
        try FilterRankings.rebuild(modelID: modelID, in: database)
        let rankings = try FilterRankings(database: database, modelName: "test")
        for filter in 0..<4 {
            let clips = try rankings.topClips(filter: filter)
            let expected = written.sorted { $0.value.peaks[filter] > $1.value.peaks[filter] }.prefix(FilterRankings.clipsPerFilter)
            #expect(clips.map { $0.song.id! } == expected.map(\.key))
            #expect(clips.map(\.rank) == Array(1...FilterRankings.clipsPerFilter))
            for clip in clips {
                #expect(clip.start == written[clip.song.id!]!.peakStarts[filter])
                #expect(Float(clip.activation) == written[clip.song.id!]!.peaks[filter])
            }
        }
        #expect(throws: IndexError.self) { try rankings.topClips(filter: 4) }
    }

    @Test func aRemovedSongLeavesTheRankingsAndTheNextMovesUp() throws {
        let (database, modelID, written) = try libraryWithActivations(songs: 120, filters: 2, seed: 11)
        try FilterRankings.rebuild(modelID: modelID, in: database)
        let rankings = try FilterRankings(database: database, modelName: "test")
        let before = try rankings.topClips(filter: 1)
        let removed = before[0].song.id!
        try database.write { db in _ = try SongRecord.deleteOne(db, key: removed) }
        #expect(try rankings.topClips(filter: 1).map { $0.song.id! } == before.dropFirst().map { $0.song.id! },
                "deleting a song takes its clips out at once")
        try FilterRankings.rebuild(modelID: modelID, in: database)
        let after = try rankings.topClips(filter: 1)
        let expected = written.filter { $0.key != removed }.sorted { $0.value.peaks[1] > $1.value.peaks[1] }.prefix(100)
        #expect(after.map { $0.song.id! } == expected.map(\.key))
        #expect(after.count == 100, "the 101st song fills the gap")
    }

    @Test func summariesCorrelateFiltersWithTags() throws {
        let (database, modelID, written) = try libraryWithActivations(songs: 20, filters: 3, seed: 3)
        let tagNames = ["rises", "falls"]
        try database.write { db in
            try db.execute(sql: "UPDATE models SET tag_names = ? WHERE id = ?", arguments: [#"["rises","falls"]"#, modelID])
            for (songID, activations) in written {
                // The first tag follows filter 0 exactly, the second mirrors it.
                let probabilities = [0.5 + 0.1 * activations.means[0], 0.5 - 0.1 * activations.means[0]]
                try db.execute(sql: "INSERT INTO song_tags(song_id, model_id, probabilities) VALUES (?, ?, ?)",
                               arguments: [songID, modelID, VectorBlob.float32(probabilities)])
            }
        }
        try FilterRankings.rebuild(modelID: modelID, in: database)
        let summaries = try FilterRankings(database: database, modelName: nil).summaries()
        #expect(summaries.count == 3)
        #expect(summaries[0].correlatedTags.map(\.tag) == [tagNames[0]], "only positive correlations are listed")
        #expect(abs(summaries[0].correlatedTags[0].correlation - 1) < 1e-4)
        let means = written.values.map { Double($0.means[1]) }
        let mean = means.reduce(0, +) / Double(means.count)
        #expect(abs(Double(summaries[1].meanActivation) - mean) < 1e-5)
        for summary in summaries {
            #expect(summary.correlatedTags.allSatisfy { (-1.0001...1.0001).contains($0.correlation) })
            let best = written.max { $0.value.peaks[summary.filter] < $1.value.peaks[summary.filter] }!
            #expect(summary.topSong?.id == best.key)
        }
    }

    @Test func aSongsStrongestFiltersAreThoseItStandsOutIn() throws {
        let (database, modelID, written) = try libraryWithActivations(songs: 30, filters: 6, seed: 5)
        try FilterRankings.rebuild(modelID: modelID, in: database)
        let rankings = try FilterRankings(database: database, modelName: "test")
        let song = try #require(try database.song(id: written.keys.min()!))
        let filters = try rankings.strongestFilters(of: song, limit: 6)
        #expect(filters.map(\.zScore) == filters.map(\.zScore).sorted(by: >))
        let activations = written[song.id!]!
        for filter in filters {
            let column = written.values.map { Double($0.means[filter.filter]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let deviation = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            #expect(abs(Double(filter.zScore) - (Double(activations.means[filter.filter]) - mean) / deviation) < 1e-3)
            #expect(filter.peakStart == activations.peakStarts[filter.filter])
        }
    }

    /// The indexer keeps the rankings in step with the library, also after a killed run.
    @Test func indexingRanksFiltersAndFollowsRemovals() throws {
        let music = scratch.makeSubdirectory("music")
        let paths = try Corpus.songs(in: music, count: 3, seconds: 4)
        let database = try LibraryDatabase(path: scratch.file("index.sqlite"))
        let indexer = Indexer(database: database, encoder: try EncoderCatalog.encoder(named: "musicnn-mtt"), threads: 2)
        _ = try indexer.run(roots: [PathBytes(music)])
        let rankings = try FilterRankings(database: database, modelName: nil)
        #expect(rankings.filterCount == 200)
        #expect(try rankings.topClips(filter: 17).count == 3)

        try FileManager.default.removeItem(atPath: paths[0])
        _ = try indexer.run(roots: [PathBytes(music)])
        let remaining = try rankings.topClips(filter: 17)
        #expect(remaining.count == 2)
        #expect(remaining.map(\.rank) == [1, 2])
        #expect(!remaining.contains { $0.song.displayPath.hasSuffix((paths[0] as NSString).lastPathComponent) })

        // A run killed after changing activations leaves the rankings marked stale; the next run,
        // with nothing to do, still re-ranks.
        let modelID = rankings.model.id!
        try database.write { db in try db.execute(sql: "DELETE FROM filter_rankings") }
        try FilterRankings.markStale(modelID: modelID, in: database)
        let quiet = try indexer.run(roots: [PathBytes(music)])
        #expect(quiet.unchanged == 2)
        #expect(try rankings.topClips(filter: 17).count == 2)
    }
}
