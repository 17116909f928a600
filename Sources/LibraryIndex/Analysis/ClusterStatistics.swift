import Foundation

/// Where an analysis put a song.
public struct SongPlacement: Codable, Sendable, Equatable {
    /// On the 2-D map.
    public var x, y: Float
    /// -1 for noise.
    public var cluster: Int
    /// HDBSCAN's membership strength, 0…1.
    public var probability: Float
    /// GLOSH: how much of an outlier the song is, 0…1.
    public var outlierScore: Float
    public var predictedYear: Float?
}

/// A song's placement with what the statistics need of the song itself.
@dynamicMemberLookup
struct AnalysedSong {
    var id: Int64
    var placement: SongPlacement
    /// The release year the song carries, if any.
    var year: Int?

    subscript<Value>(dynamicMember keyPath: KeyPath<SongPlacement, Value>) -> Value { placement[keyPath: keyPath] }
}

/// Per-cluster statistics from the stored rows alone, so they can be recomputed when songs leave
/// the library without running the analysis again.
enum ClusterStatistics {
    static let representativeCount = 5
    static let tagsPerCluster = 5

    /// - Parameters:
    ///   - persistence: per cluster label, HDBSCAN's persistence.
    ///   - tags: per song id, its tag probabilities in `tagNames` order (empty for untagged models).
    static func summaries(of songs: [AnalysedSong], persistence: [Int: Double], tagNames: [String],
                          tags: [Int64: [Float]]) -> [ClusterSummary] {
        let songsPerYear = Dictionary(grouping: songs.compactMap(\.year), by: { $0 }).mapValues(\.count)
        let libraryTagMeans = meanTags(of: songs, tags: tags, count: tagNames.count)
        let members = Dictionary(grouping: songs.filter { $0.cluster >= 0 }, by: { $0.cluster })
        return members.keys.sorted().map { cluster in
            let group = members[cluster]!
            let years = Dictionary(grouping: group.compactMap(\.year), by: { $0 }).mapValues(\.count)
            let predicted = group.compactMap { $0.predictedYear }.map(Double.init)
            let tagMeans = meanTags(of: group, tags: tags, count: tagNames.count)
            let lifted = tagNames.indices.map { index in
                ClusterSummary.TagLift(tag: tagNames[index], probability: tagMeans[index],
                                       lift: libraryTagMeans[index] > 0 ? tagMeans[index] / libraryTagMeans[index] : 0)
            }
            return ClusterSummary(
                cluster: cluster, size: group.count, persistence: persistence[cluster] ?? 0,
                representatives: representatives(of: group),
                years: years.sorted { $0.key < $1.key }.map { ClusterSummary.YearCount(year: $0.key, count: $0.value) },
                sharePerYear: years.sorted { $0.key < $1.key }.map {
                    ClusterSummary.YearShare(year: $0.key, share: Double($0.value) / Double(songsPerYear[$0.key]!))
                },
                predictedYears: spread(of: predicted),
                topTags: Array(lifted.filter { $0.lift > 1 }.sorted { $0.lift > $1.lift }.prefix(tagsPerCluster)))
        }
    }

    /// Highest membership first; among equals (HDBSCAN gives 1 to a cluster's core), nearest the
    /// cluster's centre on the map.
    static func representatives(of group: [AnalysedSong]) -> [Int64] {
        let centre = (x: group.map { $0.x }.reduce(0, +) / Float(group.count), y: group.map { $0.y }.reduce(0, +) / Float(group.count))
        func distance(_ song: AnalysedSong) -> Float { (song.x - centre.x) * (song.x - centre.x) + (song.y - centre.y) * (song.y - centre.y) }
        return group.sorted { ($0.probability, -distance($0)) > ($1.probability, -distance($1)) }
            .prefix(representativeCount).map(\.id)
    }

    /// Quartiles by linear interpolation between order statistics (numpy's default).
    static func spread(of values: [Double]) -> ClusterSummary.Spread? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        return ClusterSummary.Spread(minimum: sorted.first!, lowerQuartile: quantile(0.25), median: quantile(0.5),
                                     upperQuartile: quantile(0.75), maximum: sorted.last!)
    }

    private static func meanTags(of songs: [AnalysedSong], tags: [Int64: [Float]], count: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: count)
        var tagged = 0
        for song in songs {
            guard let probabilities = tags[song.id], probabilities.count == count else { continue }
            for index in 0..<count { sums[index] += Double(probabilities[index]) }
            tagged += 1
        }
        return sums.map { tagged > 0 ? $0 / Double(tagged) : 0 }
    }
}
