import AudioIO
import Foundation

/// Metadata from a CSV file that overrides the files' own tags.
///
/// Columns (header required, any order, only `path` mandatory):
/// `path,title,artist,album,year,genre,tags`. Paths are relative to the CSV's folder or
/// absolute. Collections such as the Billboard year-end lists carry release years this way.
public struct SidecarMetadata: Sendable {
    public let source: String
    public private(set) var entries: [PathBytes: AudioTags] = [:]

    /// The name looked for in each indexed folder.
    public static let conventionalName = "soundmap.csv"

    public init(contentsOf path: String) throws {
        source = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndexError.sidecar(path: path, line: 0, reason: "cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let rows = try CSV.parse(text, source: path)
        guard let header = rows.first else { return }
        let columns = header.map { $0.trimmed().lowercased() }
        guard let pathColumn = columns.firstIndex(of: "path") else {
            throw IndexError.sidecar(path: path, line: 1, reason: "the header has no 'path' column")
        }
        let folder = PathBytes((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        func value(_ row: [String], _ name: String) -> String? {
            guard let index = columns.firstIndex(of: name), index < row.count else { return nil }
            let text = row[index].trimmed()
            return text.isEmpty ? nil : text
        }
        for (lineIndex, row) in rows.enumerated().dropFirst() where !(row.count == 1 && row[0].isEmpty) {
            guard pathColumn < row.count, !row[pathColumn].isEmpty else {
                throw IndexError.sidecar(path: path, line: lineIndex + 1, reason: "missing path")
            }
            let yearText = value(row, "year")
            if let yearText, AudioTags.year(in: yearText) == nil {
                throw IndexError.sidecar(path: path, line: lineIndex + 1, reason: "'\(yearText)' is not a year")
            }
            let relative = PathBytes(row[pathColumn])
            let full = relative.isAbsolute ? relative : folder.appending(component: relative.bytes)
            let key = full.resolved() ?? full
            entries[key] = AudioTags(title: value(row, "title"), artist: value(row, "artist"), album: value(row, "album"),
                                     date: yearText, genre: value(row, "genre"), tags: value(row, "tags"))
        }
    }

    public func tags(for path: PathBytes) -> AudioTags? { entries[path] }

    public mutating func merge(_ other: SidecarMetadata) {
        entries.merge(other.entries) { _, new in new }
    }
}

/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines.
enum CSV {
    static func parse(_ text: String, source: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return iterator.next()
        }
        while let character = next() {
            if inQuotes {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": row.append(field); field = ""
            case "\n", "\r\n":
                row.append(field); rows.append(row); row = []; field = ""; line += 1
            case "\r": continue
            default: field.append(character)
            }
        }
        if inQuotes { throw IndexError.sidecar(path: source, line: line, reason: "unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// A field quoted when it needs to be.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func trimmed() -> String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
