import AudioIO
import Foundation
import LibraryIndex

enum LibraryDatabaseLocation {
    static var defaultPath: String { LibraryDatabase.defaultPath() }
}

/// Standard error, for progress and diagnostics that must not mix with results on standard output.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

nonisolated(unsafe) var standardError = StandardError()

func printError(_ message: String) {
    print(message, to: &standardError)
}

/// Opens an existing index for reading commands, with a helpful message when there is none.
func openExistingIndex(_ options: IndexOptions) throws -> LibraryDatabase {
    try openExistingIndex(options.indexPath)
}

func openExistingIndex(_ explicitPath: String?) throws -> LibraryDatabase {
    let path = explicitPath ?? LibraryDatabaseLocation.defaultPath
    guard FileManager.default.fileExists(atPath: path) else {
        throw CLIError("no index at \(path); run `soundmap index DIR` first (or pass --index PATH)")
    }
    return try LibraryDatabase(path: path)
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Fits text into `width` columns, eliding the middle of long paths and the end of other text.
func fit(_ text: String, _ width: Int, middle: Bool = false) -> String {
    let characters = Array(text)
    if characters.count <= width { return text + String(repeating: " ", count: width - characters.count) }
    guard width > 1 else { return String(characters.prefix(width)) }
    if middle {
        let head = (width - 1) / 2
        let tail = width - 1 - head
        return String(characters.prefix(head)) + "…" + String(characters.suffix(tail))
    }
    return String(characters.prefix(width - 1)) + "…"
}

extension String {
    /// The line without the padding `fit` left at its end.
    var withoutTrailingSpaces: String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}

func terminalColumns() -> Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
    return 100
}

func formatHours(_ seconds: Double) -> String {
    seconds >= 3600 ? String(format: "%.1f h", seconds / 3600) : String(format: "%.1f min", seconds / 60)
}

func writeJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    FileHandle.standardOutput.write(try encoder.encode(value))
    print()
}
