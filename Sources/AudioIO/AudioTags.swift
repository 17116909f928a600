/// Descriptive metadata of a song, from the file's own tags or a sidecar file.
public struct AudioTags: Equatable, Sendable, Codable {
    public var title: String?
    public var artist: String?
    public var album: String?
    /// The date tag as written (e.g. `1987`, `2003-05-01`).
    public var date: String?
    public var genre: String?
    /// Free-form tags (comma separated), from a sidecar file.
    public var tags: String?

    public init(title: String? = nil, artist: String? = nil, album: String? = nil,
                date: String? = nil, genre: String? = nil, tags: String? = nil) {
        self.title = title
        self.artist = artist
        self.album = album
        self.date = date
        self.genre = genre
        self.tags = tags
    }

    /// The release year found in the date tag: the first run of four digits from 1000 to 2999.
    public var year: Int? { AudioTags.year(in: date) }

    public static func year(in text: String?) -> Int? {
        guard let text else { return nil }
        let digits = Array(text.utf8)
        var index = 0
        while index < digits.count {
            guard isDigit(digits[index]) else { index += 1; continue }
            var end = index
            while end < digits.count, isDigit(digits[end]) { end += 1 }
            if end - index == 4, let value = Int(String(decoding: digits[index..<end], as: UTF8.self)),
               (1000...2999).contains(value) {
                return value
            }
            index = end
        }
        return nil
    }

    /// These tags with every field that `other` sets replaced by its value.
    public func overridden(by other: AudioTags) -> AudioTags {
        AudioTags(title: other.title ?? title, artist: other.artist ?? artist, album: other.album ?? album,
                  date: other.date ?? date, genre: other.genre ?? genre, tags: other.tags ?? tags)
    }

    /// Tags guessed from a file name such as `Artist - Title.ogg` or `03 Title.flac`.
    public static func fromFileName(_ path: PathBytes) -> AudioTags {
        var name = path.description.split(separator: "/").last.map(String.init) ?? path.description
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        name = name.replacingUnderscores()
        let parts = name.components(separatedBy: " - ")
        if parts.count >= 2 {
            let artist = parts[0].trimmed()
            let title = parts[1...].joined(separator: " - ").trimmed()
            return AudioTags(title: title.isEmpty ? name : title, artist: artist.isEmpty ? nil : artist)
        }
        return AudioTags(title: name.droppingTrackNumber())
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

extension String {
    func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }

    /// `03 Title`, `03. Title`, `03 - Title` → `Title`.
    fileprivate func droppingTrackNumber() -> String {
        let digits = prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 3 else { return self }
        let rest = dropFirst(digits.count).drop(while: { $0 == " " || $0 == "." || $0 == "-" })
        return rest.isEmpty ? self : String(rest)
    }
}
