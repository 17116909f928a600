import ArgumentParser
import Dispatch
import Foundation
import LibraryIndex
import AudioIO
import Playback

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a song, a file or a clip through PulseAudio.",
        discussion: "QUERY is read as by `similar`; \"song@1:20+10s\" plays ten seconds from 1:20.")

    @OptionGroup var options: IndexOptions

    @Argument(help: "The song, file or clip to play.")
    var query: String

    @Option(help: ArgumentHelp("A PulseAudio server, e.g. unix:/run/user/1000/pulse/native.", valueName: "address"))
    var server: String?

    func run() throws {
        let target: SongQuery
        if FileManager.default.fileExists(atPath: options.resolvedIndexPath) {
            target = try QueryResolver.resolve(query, in: try LibraryDatabase(path: options.resolvedIndexPath))
        } else if FileManager.default.fileExists(atPath: query) {
            target = .file(.init(query))
        } else {
            throw CLIError("no index at \(options.resolvedIndexPath) and no file \(query)")
        }
        let (path, label, start, duration) = try playable(target)
        try withInterruptiblePlayback { stop in
            let span = duration.map { " from \(formatTime(start)) for \(Int($0.rounded())) s" } ?? (start > 0 ? " from \(formatTime(start))" : "")
            printError("Playing \(label)\(span)… (Ctrl-C stops)")
            let played = try AudioPlayer(server: server).play(path, start: start, duration: duration, title: label, stop: stop)
            printError("Played \(formatTime(played)).")
        }
    }

    private func playable(_ query: SongQuery) throws -> (PathBytes, String, Double, Double?) {
        switch query {
        case .song(let song): return (song.pathBytes, song.label, 0, nil)
        case .file(let path): return (path, path.description, 0, nil)
        case .clip(let source, let start, let length):
            let (path, label, _, _) = try playable(source)
            return (path, label, start, length)
        }
    }
}

/// Runs `body` with a stop signal that Ctrl-C raises, so playback ends cleanly instead of killing
/// the process mid-write to the sound server.
func withInterruptiblePlayback<T>(_ body: (StopSignal) throws -> T) rethrows -> T {
    let stop = StopSignal()
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler { stop.stop() }
    interrupt.resume()
    defer {
        interrupt.cancel()
        signal(SIGINT, SIG_DFL)
    }
    return try body(stop)
}
