import AudioIO

/// Which parts of a song an encoder listens to.
///
/// Songs up to `wholeSongLimit` are heard in full. Longer files (DJ mixes, audiobooks,
/// hour-long ambient pieces) are heard through `excerptCount` evenly spaced excerpts, so
/// every file costs at most a few minutes of audio to describe, however long it is.
public struct AnalysisPlan: Sendable, Equatable {
    public var wholeSongLimit: Double = 600
    public var excerptCount = 16
    public var excerptSeconds: Double = 30

    public init() {}

    /// Start times of the excerpts for a file of `duration` seconds, or nil to hear it whole.
    public func excerptStarts(duration: Double) -> [Double]? {
        guard duration > wholeSongLimit else { return nil }
        let spacing = (duration - excerptSeconds) / Double(excerptCount)
        return (0..<excerptCount).map { (Double($0) + 0.5) * spacing }
    }
}
