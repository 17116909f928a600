import ArgumentParser
import Foundation
import LibraryIndex

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write vectors and metadata for other tools: CSV, JSON, numpy, or an M3U playlist.",
        discussion: """
            csv   one table: id,path,title,artist,album,year,genre,duration,e0…  (pandas.read_csv)
            json  {"model": …, "songs": [{…, "vector": […]}]}
            npy   a folder with embeddings.npy (numpy.load) and songs.csv, rows in the same order
            m3u   a playlist of the library, or of `--similar QUERY` results
            Vectors are the model's raw output, before the standardisation search applies.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, npy, m3u }

    @OptionGroup var options: IndexOptions

    @Option(help: "csv, json, npy or m3u.")
    var format: Format

    @Option(name: .shortAndLong, help: ArgumentHelp("Output file (a folder for npy); standard output if omitted.", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("For m3u: the songs similar to this query instead of the whole library.", valueName: "query"))
    var similar: String?

    @Option(name: .short, help: "For m3u with --similar: how many songs.")
    var k: Int = 20

    func run() throws {
        let database = try openExistingIndex(options)
        if format == .m3u {
            try write(Exporter.m3u(try playlistSongs(database)))
            return
        }
        guard let model = try database.model(named: options.model) else { throw CLIError("\(IndexError.noEmbeddings(model: options.model))") }
        let rows = try Exporter.rows(from: database, model: model)
        switch format {
        case .csv: try write(Data(Exporter.csv(rows, dimension: model.dimension).utf8))
        case .json: try write(Exporter.json(rows, model: model))
        case .npy:
            guard let output else { throw CLIError("--format npy needs --output FOLDER") }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let values = rows.flatMap(\.vector)
            try Exporter.npy(rows: rows.count, columns: model.dimension, values: values)
                .write(to: URL(fileURLWithPath: output + "/embeddings.npy"))
            try Data(Exporter.csv(rows, dimension: model.dimension, includeVectors: false).utf8)
                .write(to: URL(fileURLWithPath: output + "/songs.csv"))
            printError("Wrote \(rows.count) × \(model.dimension) vectors to \(output)/embeddings.npy and metadata to \(output)/songs.csv")
        case .m3u: break
        }
    }

    private func playlistSongs(_ database: LibraryDatabase) throws -> [SongRecord] {
        guard let similar else {
            return try database.indexedSongs()
        }
        let search = try SimilaritySearch(database: database, modelName: options.model)
        let query = try QueryResolver.resolve(similar, in: database)
        var songs = try search.similar(to: query, k: max(1, k)).map(\.song)
        if case .song(let song) = query { songs.insert(song, at: 0) }
        return songs
    }

    private func write(_ data: Data) throws {
        if let output { try data.write(to: URL(fileURLWithPath: output)) } else { FileHandle.standardOutput.write(data) }
    }
}
