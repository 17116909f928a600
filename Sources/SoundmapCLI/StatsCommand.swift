import ArgumentParser
import Foundation
import LibraryIndex

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Summarise the index: songs, hours, formats, failures, models and their maps.")

    @OptionGroup var options: IndexOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let database = try openExistingIndex(options)
        let stats = try LibraryStats.gather(from: database)
        if json {
            try writeJSON(stats)
            return
        }
        print("Index: \(database.path)")
        print("Songs: \(stats.songs) (\(String(format: "%.1f", stats.hours)) h), \(stats.withYear) with a release year"
              + (stats.withWarnings > 0 ? ", \(stats.withWarnings) with warnings" : ""))
        if !stats.formats.isEmpty {
            print("Formats: " + stats.formats.map { "\($0.format) \($0.songs)" }.joined(separator: " · "))
        }
        print("Models:")
        for model in stats.models {
            let map = model.mappedSongs.map { "; map of \($0) songs in \(model.clusters ?? 0) clusters" } ?? "; no map yet"
            print("  \(model.name) v\(model.version): \(model.songs) songs, \(model.clips) clips, \(model.dimension)-d\(map) — \(model.summary)")
        }
        if stats.models.isEmpty { print("  none yet") }
        print("Failed: \(stats.failed)")
        for failure in stats.failures.prefix(20) { print("  \(failure.path)\n    \(failure.reason)") }
        if stats.failures.count > 20 { print("  … and \(stats.failures.count - 20) more (soundmap stats --json lists all)") }
    }
}
