import ArgumentParser
import Encoders

@main
struct Soundmap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundmap",
        abstract: "Explore a music collection by how it sounds.",
        discussion: """
            Index a folder of music, then ask which songs sound alike:
              soundmap index ~/Music
              soundmap similar "artist or title"
            """,
        version: "0.1.0",
        subcommands: [Index.self, Similar.self, Search.self, Tags.self, Filters.self, Analyze.self, Clusters.self, Years.self, Play.self, Export.self, Stats.self, Bench.self])
}

/// Options every command that reads the index shares.
struct IndexOptions: ParsableArguments {
    @Option(name: .customLong("index"), help: ArgumentHelp("The index file.", valueName: "path"))
    var indexPath: String?

    @Option(help: ArgumentHelp("The model whose vectors to use: musicnn-mtt (default), musicnn-msd or baseline.", valueName: "name"))
    var model: String = EncoderCatalog.defaultName

    var resolvedIndexPath: String { indexPath ?? LibraryDatabaseLocation.defaultPath }
}
