import ArgumentParser
import Foundation
import LibraryIndex

struct Tags: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the tags a tagging model (musicnn) predicts for a song.",
        discussion: "Needs an index made with a tagging model, e.g. `soundmap index DIR --model musicnn-mtt`.")

    @Option(name: .customLong("index"), help: ArgumentHelp("The index file.", valueName: "path"))
    var indexPath: String?

    @Option(help: ArgumentHelp("The tagging model (default: the newest one in the index).", valueName: "name"))
    var model: String?

    @Argument(help: "The song: an id, a path, or words from its title, artist, album or path.")
    var query: String

    @Option(name: .short, help: "How many tags to list.")
    var k: Int = 10

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let database = try openExistingIndex(indexPath)
        let predictions = try TagPredictions(database: database, modelName: model)
        guard case .song(let song) = try QueryResolver.resolve(query, in: database) else {
            throw CLIError("tags are known for indexed songs only; '\(query)' is not one")
        }
        let tags = try predictions.tags(of: song).prefix(max(1, k))
        if json {
            try writeJSON(tags.map { ["tag": $0.tag, "probability": String(format: "%.4f", $0.probability)] })
            return
        }
        print("\(song.label) (model \(predictions.model.name)):")
        for (tag, probability) in tags {
            let bar = String(repeating: "█", count: Int((probability * 30).rounded()))
            print("  " + fit(tag, 18) + String(format: "%.2f  ", probability) + bar)
        }
    }
}
