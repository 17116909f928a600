import ArgumentParser
import AudioIO
import Dispatch
import Encoders
import Foundation
import LibraryIndex

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add music folders to the index, or bring the index up to date with them.",
        discussion: """
            Only new and changed files are decoded; files that are gone leave the index, and \
            moved files keep their vectors. Ctrl-C stops after the files in progress; run the \
            same command again to continue. A soundmap.csv in a folder (columns \
            path,title,artist,album,year,genre,tags) overrides the files' own tags.
            """)

    @OptionGroup var options: IndexOptions

    @Argument(help: ArgumentHelp("Folders (or files) of music.", valueName: "folder"))
    var folders: [String]

    @Option(help: ArgumentHelp("A metadata CSV that overrides tags (path,title,artist,album,year,genre,tags).", valueName: "csv"))
    var metadata: String?

    @Option(help: "Decoding threads (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Try files that failed before again, even if unchanged.")
    var retryFailed = false

    @Flag(help: "Print only the summary.")
    var quiet = false

    @Flag(help: "Do not update the map (UMAP, clusters, years) after indexing.")
    var noAnalyze = false

    func run() throws {
        let encoder = try EncoderCatalog.encoder(named: options.model)
        let database = try LibraryDatabase(path: options.resolvedIndexPath)
        let sidecar = try metadata.map { try SidecarMetadata(contentsOf: $0) }
        let indexer = Indexer(database: database, encoder: encoder, threads: max(1, threads))
        let cancellation = CancellationFlag()
        let interrupt = installInterruptHandler(cancellation)
        defer { interrupt.cancel() }

        var bar = ProgressBar()
        let summary = try indexer.run(roots: folders.map { PathBytes($0) }, metadata: sidecar, retryFailed: retryFailed,
                                      cancellation: cancellation) { progress in
            if !quiet { bar.update(progress, force: progress.filesDone == progress.filesTotal) }
        }
        bar.finish()
        report(summary, indexPath: database.path)
        if summary.interrupted { throw ExitCode(130) }
        if !noAnalyze, let model = try database.model(named: encoder.descriptor.name) {
            let outcome = try withAnalysisProgress(quiet: quiet) { progress in
                try LibraryAnalyzer.update(database: database, model: model, progress: progress)
            }
            if outcome != .upToDate { print(describe(outcome)) }
        }
    }

    private func report(_ summary: IndexSummary, indexPath: String) {
        let processed = summary.added + summary.updated + summary.failed.count
        var headline = "Indexed \(processed) file\(processed == 1 ? "" : "s") in \(formatTime(summary.elapsed))"
        if summary.audioSeconds > 0, summary.elapsed > 0 {
            headline += String(format: " (%@ of audio, %.0f× real time)", formatHours(summary.audioSeconds),
                               summary.audioSeconds / summary.elapsed)
        }
        print(headline)
        print("  added \(summary.added) · updated \(summary.updated) · moved \(summary.moved) · unchanged \(summary.unchanged)"
              + " · removed \(summary.removed) · failed \(summary.failed.count)")
        if summary.interrupted {
            print("Interrupted: \(summary.remaining) file\(summary.remaining == 1 ? "" : "s") left; run the same command again to continue.")
        }
        if !summary.failed.isEmpty {
            print("Failed:")
            for failure in summary.failed { print("  \(failure.path)\n    \(failure.reason)") }
        }
        if !summary.warnings.isEmpty {
            print("Indexed with warnings:")
            for warning in summary.warnings { print("  \(warning.path)\n    \(warning.warning)") }
        }
        if !summary.unsupported.isEmpty {
            let byFormat = Dictionary(grouping: summary.unsupported, by: \.format).map { "\($0.value.count) \($0.key)" }.sorted()
            print("Skipped \(summary.unsupported.count) file\(summary.unsupported.count == 1 ? "" : "s") in formats libsndfile cannot read: "
                  + byFormat.joined(separator: ", ") + " (convert them to FLAC, Ogg or Opus to include them)")
        }
        for problem in summary.scanProblems { print("Could not read \(problem.path): \(problem.reason)") }
        print("Index: \(indexPath)")
    }
}

/// First Ctrl-C: finish the files in progress and stop. Second: quit at once.
func installInterruptHandler(_ cancellation: CancellationFlag) -> DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
        if cancellation.isCancelled { exit(130) }
        cancellation.cancel()
        printError("\nStopping after the files in progress… (Ctrl-C again to quit now)")
    }
    source.resume()
    return source
}
