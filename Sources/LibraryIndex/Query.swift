import AudioIO
import Foundation
import GRDB

/// What `similar` was asked about.
public enum SongQuery: Sendable, Equatable {
    /// An indexed song.
    case song(SongRecord)
    /// An audio file that is not in the index, embedded on the fly.
    case file(PathBytes)
    /// A stretch of a song or file: `song@1:20+10s`.
    indirect case clip(of: SongQuery, start: Double, length: Double)
}

public enum QueryResolver {
    /// A clip written without a length lasts this long.
    public static let defaultClipSeconds = 10.0

    /// Reads a query: a song id, a path (indexed or not), text matching title, artist, album or
    /// path, or any of those followed by `@START[+LENGTH]` for a clip.
    public static func resolve(_ text: String, in database: LibraryDatabase) throws -> SongQuery {
        if let at = text.lastIndex(of: "@"), let (start, length) = parseClipTimes(String(text[text.index(after: at)...])) {
            let base = try resolve(String(text[..<at]), in: database)
            return .clip(of: base, start: start, length: length ?? defaultClipSeconds)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw IndexError.invalidQuery(text, reason: "empty query") }
        if let id = Int64(trimmed), let song = try database.song(id: id) { return .song(song) }
        let path = PathBytes(trimmed)
        if FileManager.default.fileExists(atPath: trimmed), let resolved = path.resolved() {
            if let song = try database.song(path: resolved) { return .song(song) }
            return .file(resolved)
        }
        let matches = try search(trimmed, in: database, limit: 50)
        switch matches.count {
        case 0: throw IndexError.songNotFound(trimmed)
        case 1: return .song(matches[0])
        default:
            // A query naming one song exactly ("artist — title" or its title) picks it among partial matches.
            let lowered = trimmed.lowercased()
            let exact = matches.filter { $0.label.lowercased() == lowered || $0.title?.lowercased() == lowered }
            if exact.count == 1 { return .song(exact[0]) }
            throw IndexError.ambiguousQuery(trimmed, candidates: matches.prefix(10).map { "\($0.id!)  \($0.label)  (\($0.displayPath))" })
        }
    }

    /// Songs whose title, artist, album, genre, tags or path contain every word of `text`.
    public static func search(_ text: String, in database: LibraryDatabase, limit: Int = 100) throws -> [SongRecord] {
        // Separators such as the "—" of a label printed by Soundmap are not words to look for.
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            .filter { $0.contains { $0.isLetter || $0.isNumber } }
        guard !words.isEmpty else { return [] }
        let condition = words.map { _ in
            "(title LIKE ? ESCAPE '\\' OR artist LIKE ? ESCAPE '\\' OR album LIKE ? ESCAPE '\\' OR genre LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\' OR display_path LIKE ? ESCAPE '\\')"
        }.joined(separator: " AND ")
        var arguments: [DatabaseValueConvertible] = []
        for word in words {
            let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            arguments += Array(repeating: "%\(escaped)%", count: 6)
        }
        arguments.append(limit)
        return try database.read { db in
            try SongRecord.fetchAll(db, sql: "SELECT * FROM songs WHERE \(condition) ORDER BY artist, title, id LIMIT ?",
                                    arguments: StatementArguments(arguments))
        }
    }

    /// A query naming a stretch of an indexed song, `12@1:23.4+3s`, as `resolve` reads it back.
    public static func clipQuery(songID: Int64, start: Double, length: Double) -> String {
        let tenths = Int((max(0, start) * 10).rounded(.down))
        let minutes = tenths / 600
        let seconds = Double(tenths % 600) / 10
        let lengthText = length == length.rounded() ? String(Int(length)) : String(format: "%.1f", length)
        return "\(songID)@\(minutes):" + String(format: "%04.1f", seconds) + "+\(lengthText)s"
    }

    /// `1:20`, `80`, `80.5s`, `1:02:03`, each optionally followed by `+10` or `+10s`.
    static func parseClipTimes(_ text: String) -> (start: Double, length: Double?)? {
        let parts = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        guard let start = parseTime(String(parts[0])) else { return nil }
        guard parts.count == 2 else { return (start, nil) }
        guard let length = parseTime(String(parts[1])), length > 0 else { return nil }
        return (start, length)
    }

    static func parseTime(_ text: String) -> Double? {
        var body = text
        if body.hasSuffix("s") { body.removeLast() }
        let fields = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), !body.isEmpty else { return nil }
        var seconds = 0.0
        for (index, field) in fields.enumerated() {
            let isLast = index == fields.count - 1
            guard !field.isEmpty, field.allSatisfy({ $0.isNumber || (isLast && $0 == ".") }),
                  let value = Double(field), value >= 0 else { return nil }
            if index > 0 && value >= 60 { return nil }
            seconds = seconds * 60 + value
        }
        return seconds
    }
}
