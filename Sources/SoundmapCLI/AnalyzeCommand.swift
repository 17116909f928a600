import ArgumentParser
import AudioIO
import Foundation
import LibraryIndex

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map the library: a UMAP of the songs, HDBSCAN clusters, the release-year model and cluster statistics.",
        discussion: """
            `soundmap index` runs this by itself whenever it changes the library; run it by hand to \
            choose other parameters. The release-year model needs songs that carry a year (tags or \
            soundmap.csv). Results are stored in the index for `clusters`, `years` and the map.
            """)

    @OptionGroup var options: IndexOptions

    @Option(help: ArgumentHelp("Smallest cluster (default: grows with the square root of the library's size).", valueName: "songs"))
    var minClusterSize: Int?

    @Option(help: "Seed of the random choices (same seed, same map).")
    var seed: UInt64 = 42

    func validate() throws {
        if let minClusterSize, minClusterSize < 2 { throw ValidationError("--min-cluster-size must be at least 2") }
    }

    func run() throws {
        let database = try openExistingIndex(options)
        guard let model = try database.model(named: options.model) else { throw IndexError.noEmbeddings(model: options.model) }
        let settings = AnalysisSettings(songCount: try LibraryAnalyzer.songCount(database: database, model: model), seed: seed,
                                       minClusterSize: minClusterSize)
        let outcome = try withAnalysisProgress { progress in
            try LibraryAnalyzer.analyse(database: database, model: model, settings: settings, progress: progress)
        }
        print(describe(outcome))
    }
}

/// Runs `body` with a progress bar on standard error.
func withAnalysisProgress<T>(quiet: Bool = false, _ body: ((AnalysisProgress) -> Void) throws -> T) rethrows -> T {
    var bar = ProgressBar()
    let started = Date()
    let result = try body { progress in
        guard !quiet else { return }
        bar.draw(fraction: progress.fraction, parts: ["analysing: " + progress.stage.rawValue, formatTime(Date().timeIntervalSince(started))])
    }
    bar.finish()
    return result
}

func describe(_ outcome: LibraryAnalyzer.Outcome) -> String {
    switch outcome {
    case .analysed(let songs, let clusters, let yearError):
        var text = "Mapped \(songs) songs into \(clusters) cluster\(clusters == 1 ? "" : "s")"
        if let yearError {
            text += String(format: "; release years predicted within %.1f years on average (`soundmap years`)", yearError)
        } else {
            text += "; no release-year model (at least \(LibraryAnalyzer.minimumSongsWithYears) songs with a year are needed)"
        }
        return text + ". See `soundmap clusters`."
    case .statisticsUpdated(let songs):
        return "Updated the cluster statistics for the \(songs) songs that remain."
    case .upToDate:
        return "The map is up to date."
    case .tooFewSongs(let count):
        return "No map yet: \(count) song\(count == 1 ? "" : "s") indexed, at least \(LibraryAnalyzer.minimumSongs) are needed."
    }
}

struct Clusters: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the clusters of the library's map with their release years and tags, or the songs of one cluster.",
        discussion: "`clusters noise` lists the songs no cluster claims. Run `soundmap analyze` (or `index`) first.")

    @OptionGroup var options: IndexOptions

    @Argument(help: ArgumentHelp("A cluster number, or noise: list its songs.", valueName: "cluster"))
    var selection: String?

    private var cluster: Int? {
        selection.flatMap { $0.lowercased() == "noise" ? -1 : Int($0) }
    }

    func validate() throws {
        if let selection, cluster == nil || cluster! < -1 {
            throw ValidationError("'\(selection)' is neither a cluster number nor noise")
        }
    }

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let map = try LibraryMap(database: try openExistingIndex(options), modelName: options.model)
        if let cluster {
            let songs = try map.songs(inCluster: cluster)
            if songs.isEmpty && cluster >= 0 { throw CLIError("there is no cluster \(cluster); `soundmap clusters` lists them") }
            if json {
                try writeJSON(songs.map(MapPointJSON.init))
                return
            }
            print(cluster < 0 ? "\(songs.count) songs in no cluster:" : "Cluster \(cluster): \(songs.count) songs, most typical first:")
            let columns = terminalColumns()
            for point in songs {
                var line = String(format: "%5.2f  ", point.probability) + fit(point.song.label, max(20, columns / 2 - 14)) + "  "
                line += fit(point.song.year.map(String.init) ?? "", 4) + "  "
                line += fit(point.song.displayPath, max(10, columns - line.count), middle: true)
                print(line.withoutTrailingSpaces)
            }
            return
        }
        let clusters = try map.clusters()
        if json {
            try writeJSON(clusters)
            return
        }
        let points = try map.points()
        let noise = points.filter { $0.cluster < 0 }.count
        print("\(clusters.count) clusters of \(points.count) songs (model \(map.model.name)); \(noise) in no cluster.")
        let knownYears = points.compactMap(\.song.year)
        let songs = try map.database.songs(ids: clusters.flatMap { $0.representatives.prefix(2) })
        for summary in clusters {
            var line = fit("#\(summary.cluster)", 5) + fit("\(summary.size) songs", 10)
            if let years = summary.predictedYears {
                line += String(format: "  predicted %.0f (%.0f–%.0f)", years.median, years.lowerQuartile, years.upperQuartile)
            }
            if !summary.topTags.isEmpty {
                line += "  " + summary.topTags.prefix(3).map { String(format: "%@ ×%.1f", $0.tag, $0.lift) }.joined(separator: ", ")
            }
            print(line)
            if let range = knownYears.min().flatMap({ low in knownYears.max().map { low...$0 } }) {
                print("     " + YearHistogram.sparkline(summary.years, range: range) + "  \(range.lowerBound)–\(range.upperBound)")
            }
            let examples = summary.representatives.prefix(2).compactMap { songs[$0]?.label }
            if !examples.isEmpty { print("     e.g. " + examples.joined(separator: "; ")) }
        }
    }
}

struct Years: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How well the release-year model predicts the years of the songs that carry one.",
        discussion: "Predictions are out of fold: each song's year comes from a model that never saw it.")

    @OptionGroup var options: IndexOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let map = try LibraryMap(database: try openExistingIndex(options), modelName: options.model)
        guard let report = try map.yearReport() else {
            throw CLIError("no release-year model: at least \(LibraryAnalyzer.minimumSongsWithYears) songs need a year "
                           + "(from their tags or a soundmap.csv with a year column); then run `soundmap analyze`")
        }
        if json {
            try writeJSON(report)
            return
        }
        print("Release years of \(report.songs) songs, gradient-boosted trees on the \(map.model.name) vectors, \(report.folds)-fold cross-validated:")
        print(String(format: "  mean absolute error %.1f years (baseline, always the median year: %.1f)",
                     report.meanAbsoluteError, report.baselineMeanAbsoluteError))
        let ends = report.perYear.flatMap { [$0.lowerWhisker, $0.upperWhisker, Double($0.year)] }
        guard let low = ends.min(), let high = ends.max() else { return }
        let width = max(20, min(60, terminalColumns() - 28))
        print("  year  songs   MAE  predictions: ├ whiskers ┤, [ quartiles ], | median, * the true year; "
              + String(format: "%.0f … %.0f", low, high))
        for year in report.perYear {
            print("  " + fit(String(year.year), 5) + String(format: "%6d %5.1f  ", year.count, year.meanAbsoluteError)
                  + YearHistogram.boxPlot(year, low: low, high: high, width: width))
        }
    }
}

/// Text drawings of year distributions.
enum YearHistogram {
    static let levels = Array(" ▁▂▃▄▅▆▇█")

    /// One character per year bin over `range`, its height the cluster's songs of those years.
    static func sparkline(_ counts: [ClusterSummary.YearCount], range: ClosedRange<Int>, width: Int = 40) -> String {
        let span = range.upperBound - range.lowerBound + 1
        let bins = min(width, span)
        var totals = [Int](repeating: 0, count: bins)
        for entry in counts where range.contains(entry.year) { totals[(entry.year - range.lowerBound) * bins / span] += entry.count }
        let highest = max(1, totals.max() ?? 1)
        return String(totals.map { $0 == 0 ? "·" : levels[max(1, Int((Double($0) / Double(highest) * 8).rounded()))] })
    }

    /// ├──[====|===]──┤ on a scale from `low` to `high` years, `width` characters, the true year a *.
    static func boxPlot(_ year: YearReportSummary.YearSpread, low: Double, high: Double, width: Int) -> String {
        func column(_ value: Double) -> Int { high > low ? min(width - 1, max(0, Int((value - low) / (high - low) * Double(width - 1)))) : 0 }
        var line = Array(repeating: Character(" "), count: width)
        for position in column(year.lowerWhisker)...column(year.upperWhisker) { line[position] = "─" }
        for position in column(year.lowerQuartile)...column(year.upperQuartile) { line[position] = "=" }
        line[column(year.lowerWhisker)] = "├"
        line[column(year.upperWhisker)] = "┤"
        line[column(year.lowerQuartile)] = "["
        line[column(year.upperQuartile)] = "]"
        line[column(year.median)] = "|"
        line[column(Double(year.year))] = "*"
        return String(line).withoutTrailingSpaces
    }
}

/// A song on the map, for `clusters N --json`.
struct MapPointJSON: Encodable {
    var song: SongJSON
    var placement: SongPlacement

    init(_ point: LibraryMap.Point) {
        song = SongJSON(point.song)
        placement = point.placement
    }
}
