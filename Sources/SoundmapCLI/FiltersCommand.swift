import ArgumentParser
import AudioIO
import Foundation
import LibraryIndex
import Playback

struct Filters: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Listen to the neurons: the clips that excite each filter of the model's last layer most.",
        discussion: """
            Without arguments, lists every filter with its mean activation over the library and the \
            tags that rise with it. `filters N` lists filter N's strongest clips (at most one per \
            song); `filters --song QUERY` lists the filters a song stands out in. Every clip is shown \
            as ID@START+LENGTH, which `soundmap play` plays; `filters N --play 5` plays the five \
            strongest one after the other.
            """)

    @Option(name: .customLong("index"), help: ArgumentHelp("The index file.", valueName: "path"))
    var indexPath: String?

    @Option(help: ArgumentHelp("The model (default: the newest one with filter activations).", valueName: "name"))
    var model: String?

    @Argument(help: "A filter number: list its strongest clips.")
    var filter: Int?

    @Option(help: ArgumentHelp("List the strongest filters of this song instead.", valueName: "query"))
    var song: String?

    @Option(name: .short, help: "How many clips or filters to list (default: 20; all filters in the overview).")
    var k: Int?

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("With a filter number: play its strongest clips, this many, one after the other.", valueName: "clips"))
    var play: Int?

    @Option(help: ArgumentHelp("With --play: a PulseAudio server, e.g. unix:/run/user/1000/pulse/native.", valueName: "address"))
    var server: String?

    func validate() throws {
        if filter != nil && song != nil { throw ValidationError("give a filter number or --song, not both") }
        if let play, filter == nil || play < 1 { throw ValidationError("--play needs a filter number and a count of at least 1") }
    }

    func run() throws {
        let database = try openExistingIndex(indexPath)
        let rankings = try FilterRankings(database: database, modelName: model)
        if let filter, let play {
            try playClips(of: filter, count: play, rankings)
        } else if let filter {
            try listClips(of: filter, rankings)
        } else if let song {
            try listFilters(ofSong: song, rankings, database: database)
        } else {
            try listFilters(rankings)
        }
    }

    private func listFilters(_ rankings: FilterRankings) throws {
        let summaries = try rankings.summaries().prefix(k ?? .max)
        if json {
            try writeJSON(summaries.map(FilterSummaryJSON.init))
            return
        }
        print("\(rankings.filterCount) filters of \(rankings.model.name); mean activation ± spread over the library, "
              + "the tags that rise with each, and its strongest song:")
        let columns = terminalColumns()
        for summary in summaries {
            let tags = summary.correlatedTags.map { "\($0.tag) \(String(format: "%+.2f", $0.correlation))" }.joined(separator: ", ")
            var line = fit(String(summary.filter), 4) + String(format: "%7.3f ±%6.3f  ", summary.meanActivation, summary.standardDeviation)
            line += fit(tags.isEmpty ? "—" : tags, 44) + "  "
            line += fit(summary.topSong?.label ?? "", max(10, columns - line.count))
            print(line.withoutTrailingSpaces)
        }
    }

    private func listClips(of filter: Int, _ rankings: FilterRankings) throws {
        let clips = try rankings.topClips(filter: filter, limit: max(1, k ?? 20))
        if json {
            try writeJSON(clips.map(RankedClipJSON.init))
            return
        }
        print("Filter \(filter) of \(rankings.model.name): its strongest clips (play one with `soundmap play CLIP`):")
        let columns = terminalColumns()
        let titleWidth = max(16, (columns - 36) / 2)
        print("   #  activation  " + fit("clip", 16) + fit("artist — title", titleWidth) + "  path")
        for clip in clips {
            let reference = QueryResolver.clipQuery(songID: clip.song.id!, start: clip.start, length: clip.length)
            var line = String(format: "%4d  %10.3f  ", clip.rank, clip.activation) + fit(reference, 16)
            line += fit(clip.song.label, titleWidth) + "  "
            line += fit(clip.song.displayPath, max(10, columns - line.count), middle: true)
            print(line.withoutTrailingSpaces)
        }
        if clips.isEmpty { print("  (no clips ranked yet)") }
    }

    private func playClips(of filter: Int, count: Int, _ rankings: FilterRankings) throws {
        let clips = try rankings.topClips(filter: filter, limit: count)
        let player = AudioPlayer(server: server)
        try withInterruptiblePlayback { stop in
            for clip in clips where !stop.isStopped {
                printError("▶ \(clip.rank)/\(clips.count)  \(clip.song.label) at \(formatTime(clip.start))"
                           + String(format: " (activation %.2f)", clip.activation))
                _ = try player.play(clip.song.pathBytes, start: clip.start, duration: clip.length, title: "filter \(filter): \(clip.song.label)",
                                    stop: stop)
            }
        }
    }

    private func listFilters(ofSong query: String, _ rankings: FilterRankings, database: LibraryDatabase) throws {
        guard case .song(let song) = try QueryResolver.resolve(query, in: database) else {
            throw CLIError("filters are known for indexed songs only; '\(query)' is not one")
        }
        let filters = try rankings.strongestFilters(of: song, limit: max(1, k ?? 20))
        if json {
            try writeJSON(filters.map { SongFilterJSON($0, songID: song.id!) })
            return
        }
        print("\(song.label) [\(song.id!)]: the filters it stands out in (model \(rankings.model.name)):")
        print("filter  z-score   mean   peak  at")
        for filter in filters {
            let reference = QueryResolver.clipQuery(songID: song.id!, start: filter.peakStart, length: filter.clipLength)
            print(fit(String(filter.filter), 6) + String(format: "%+8.2f %6.3f %6.3f  ", filter.zScore, filter.meanActivation,
                                                        filter.peakActivation) + reference)
        }
    }
}

struct FilterSummaryJSON: Encodable {
    struct Tag: Encodable {
        var tag: String
        var correlation: Float
    }

    var filter: Int
    var meanActivation: Float
    var standardDeviation: Float
    var correlatedTags: [Tag]
    var topSong: SongJSON?

    init(_ summary: FilterSummary) {
        filter = summary.filter
        meanActivation = summary.meanActivation
        standardDeviation = summary.standardDeviation
        correlatedTags = summary.correlatedTags.map { Tag(tag: $0.tag, correlation: $0.correlation) }
        topSong = summary.topSong.map(SongJSON.init)
    }
}

struct RankedClipJSON: Encodable {
    var rank: Int
    var activation: Double
    var start: Double
    var length: Double
    var clip: String
    var song: SongJSON

    init(_ ranked: RankedClip) {
        rank = ranked.rank
        activation = ranked.activation
        start = ranked.start
        length = ranked.length
        clip = QueryResolver.clipQuery(songID: ranked.song.id!, start: ranked.start, length: ranked.length)
        song = SongJSON(ranked.song)
    }
}

struct SongFilterJSON: Encodable {
    var filter: Int
    var zScore: Float
    var meanActivation: Float
    var peakActivation: Float
    var peakStart: Double
    var clipLength: Double
    var clip: String

    init(_ filter: SongFilter, songID: Int64) {
        self.filter = filter.filter
        zScore = filter.zScore
        meanActivation = filter.meanActivation
        peakActivation = filter.peakActivation
        peakStart = filter.peakStart
        clipLength = filter.clipLength
        clip = QueryResolver.clipQuery(songID: songID, start: filter.peakStart, length: filter.clipLength)
    }
}
