import ArgumentParser
import AudioIO
import Foundation
import LibraryIndex

struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the songs that sound most like a song, a file or a clip.",
        discussion: """
            QUERY is a song id, a path (a file outside the index is analysed on the fly), or words \
            from the title, artist, album or path. Add @START[+LENGTH] for a clip, e.g. \
            "some song@1:20+10s" (LENGTH defaults to 10 s).
            """)

    @OptionGroup var options: IndexOptions

    @Argument(help: "The song, file or clip to start from.")
    var query: String

    @Option(name: .short, help: "How many songs to list.")
    var k: Int = 20

    @Flag(help: "Match moments: compare 30-second clips and show where in each song the match is.")
    var clips = false

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the result as an M3U playlist.", valueName: "file"))
    var m3u: String?

    func run() throws {
        let database = try openExistingIndex(options)
        let search = try SimilaritySearch(database: database, modelName: options.model)
        let resolved = try QueryResolver.resolve(query, in: database)
        let results = try search.similar(to: resolved, k: max(1, k), byClip: clips)
        if let m3u {
            var songs = results.map(\.song)
            if case .song(let song) = resolved { songs.insert(song, at: 0) }
            try Exporter.m3u(songs).write(to: URL(fileURLWithPath: m3u))
        }
        if json {
            try writeJSON(results.map(SimilarSongJSON.init))
            return
        }
        print("Most similar to \(describe(resolved)) (model \(search.model.name)):")
        let columns = terminalColumns()
        let titleWidth = max(16, (columns - 40) / 2)
        let pathWidth = max(10, columns - 40 - titleWidth)
        var header = "  #  score  " + fit("artist — title", titleWidth) + "  " + fit("year", 4) + "  "
        if clips { header += fit("at", 7) }
        print((header + "path").withoutTrailingSpaces)
        for result in results {
            let song = result.song
            var line = String(format: "%3d  %.3f  ", result.rank, result.score)
            line += fit(song.label, titleWidth) + "  " + fit(song.year.map(String.init) ?? "", 4) + "  "
            if let clip = result.clip { line += fit("@" + formatTime(clip.start), 7) }
            line += fit(song.displayPath, pathWidth, middle: true)
            print(line.withoutTrailingSpaces)
        }
        if results.isEmpty { print("  (no other songs are indexed yet)") }
    }

    private func describe(_ query: SongQuery) -> String {
        switch query {
        case .song(let song): "\(song.label) [\(song.id!)]"
        case .file(let path): path.description
        case .clip(let source, let start, let length):
            "\(describe(source)) from \(formatTime(start)) for \(Int(length.rounded())) s"
        }
    }
}

/// A result of `similar --json`: the song's fields plus rank, score and the matching clip.
struct SimilarSongJSON: Encodable {
    var rank: Int
    var score: Float
    var song: SongJSON
    var clip: ClipLocation?

    init(_ result: SimilarSong) {
        rank = result.rank
        score = result.score
        song = SongJSON(result.song)
        clip = result.clip
    }

    enum CodingKeys: String, CodingKey { case rank, score, clipStart, clipLength }

    func encode(to encoder: Encoder) throws {
        try song.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(score, forKey: .score)
        try container.encodeIfPresent(clip?.start, forKey: .clipStart)
        try container.encodeIfPresent(clip?.length, forKey: .clipLength)
    }
}

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find indexed songs by title, artist, album, genre, tags or path, or by a predicted tag.",
        discussion: "With --tag, lists the songs a tagging model (musicnn) finds most likely to carry that tag.")

    @Option(name: .customLong("index"), help: ArgumentHelp("The index file.", valueName: "path"))
    var indexPath: String?

    @Argument(help: "Words that must all appear.")
    var words: [String] = []

    @Option(help: ArgumentHelp("A tag predicted by a tagging model, e.g. piano, rock, female vocals.", valueName: "tag"))
    var tag: String?

    @Option(help: ArgumentHelp("With --tag: the tagging model (default: the newest in the index).", valueName: "name"))
    var model: String?

    @Option(name: .short, help: "With --tag: how many songs.")
    var k: Int = 20

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if words.isEmpty && tag == nil { throw ValidationError("give words to look for, or --tag TAG") }
    }

    func run() throws {
        let database = try openExistingIndex(indexPath)
        if let tag {
            let predictions = try TagPredictions(database: database, modelName: model)
            let found = try predictions.songs(withTag: tag, limit: max(1, k))
            if json {
                try writeJSON(found.map { TaggedSongJSON(song: SongJSON($0.song), probability: $0.probability) })
                return
            }
            print("Most likely '\(tag)' (model \(predictions.model.name)):")
            for (song, probability) in found {
                print(String(format: "  %.2f  ", probability) + fit(song.label, 40) + "  " + song.displayPath)
            }
            return
        }
        let songs = try QueryResolver.search(words.joined(separator: " "), in: database)
        if json {
            try writeJSON(songs.map { SongJSON($0) })
            return
        }
        let columns = terminalColumns()
        for song in songs {
            let status = song.status == .failed ? "  [failed: \(song.error ?? "")]" : ""
            print(fit("\(song.id!)", 6) + fit(song.label, max(20, columns / 2 - 6)) + "  "
                  + fit(song.displayPath, max(10, columns / 2 - 4), middle: true).trimmingCharacters(in: .whitespaces) + status)
        }
        if songs.isEmpty { print("No song matches.") }
    }
}

struct TaggedSongJSON: Encodable {
    var song: SongJSON
    var probability: Float
}

struct SongJSON: Encodable {
    var id: Int64
    var path: String
    var title, artist, album, genre, status, error, warning: String?
    var year: Int?
    var duration: Double?

    init(_ song: SongRecord) {
        id = song.id!
        path = song.displayPath
        title = song.title
        artist = song.artist
        album = song.album
        genre = song.genre
        year = song.year
        duration = song.duration
        status = song.status.rawValue
        error = song.error
        warning = song.warning
    }
}
