import AudioIO
import Foundation
import LibraryIndex

/// A progress line: for indexing, files, audio hours, speed in × real time and ETA.
///
/// On a terminal it redraws one line at most ten times a second; in a log (CI, a pipe) it
/// prints a plain line every few seconds instead.
struct ProgressBar {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast
    private let width = 24

    mutating func update(_ progress: IndexProgress, force: Bool = false) {
        let fraction = progress.bytesTotal > 0 ? Double(progress.bytesDone) / Double(progress.bytesTotal) : 1
        var parts = ["\(progress.filesDone)/\(progress.filesTotal) files", formatHours(progress.audioSeconds) + " of audio"]
        if progress.elapsed > 0.5, progress.audioSeconds > 0 {
            parts.append(String(format: "%.0f× real time", progress.audioSeconds / progress.elapsed))
        }
        if progress.bytesDone > 0, progress.bytesDone < progress.bytesTotal, progress.elapsed > 1 {
            let remaining = progress.elapsed * Double(progress.bytesTotal - progress.bytesDone) / Double(progress.bytesDone)
            parts.append("ETA " + formatTime(remaining))
        }
        draw(fraction: fraction, parts: parts, force: force)
    }

    /// The bar at `fraction` (0…1) followed by `parts`, at most ten times a second on a terminal.
    mutating func draw(fraction: Double, parts: [String], force: Bool = false) {
        let now = Date()
        let interval = interactive ? 0.1 : 5
        guard force || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let clamped = min(1, max(0, fraction))
        let filled = Int((clamped * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "[\(bar)] \(Int(clamped * 100))% · " + parts.joined(separator: " · ")
        if interactive {
            let columns = max(20, terminalColumnsOfStandardError() - 1)
            print("\r\u{1B}[2K" + fit(line, columns).withoutTrailingSpaces, terminator: "", to: &standardError)
        } else {
            print(line, to: &standardError)
        }
    }

    func finish() {
        if interactive { print("\r\u{1B}[2K", terminator: "", to: &standardError) }
    }

    private func terminalColumnsOfStandardError() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }
}
