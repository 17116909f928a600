/// How strongly each filter of an encoder's last layer responds to a song: on average, and at
/// the song's strongest moment.
///
/// This is what CLMR's "neurons to listen to" need from a song: a filter's ranking over the
/// library takes each song's peak moment, a song's strongest filters compare its means with the
/// library's, and one activation describes one clip of `clipLength` seconds (for musicnn, a
/// 3-second patch), so every peak can be played exactly.
public struct FilterActivations: Sendable, Equatable {
    /// Per filter, the mean activation over the song's clips.
    public private(set) var means: [Float]
    /// Per filter, the highest activation over the song's clips.
    public private(set) var peaks: [Float]
    /// Per filter, the start (seconds) of the clip that reached the peak.
    public private(set) var peakStarts: [Double]
    public let clipLength: Double
    private var sums: [Double]
    private var clipCount = 0

    public init(filterCount: Int, clipLength: Double) {
        means = [Float](repeating: 0, count: filterCount)
        peaks = [Float](repeating: -.infinity, count: filterCount)
        peakStarts = [Double](repeating: 0, count: filterCount)
        sums = [Double](repeating: 0, count: filterCount)
        self.clipLength = clipLength
    }

    /// Activations read back from the index.
    public init(means: [Float], peaks: [Float], peakStarts: [Double], clipLength: Double) {
        precondition(means.count == peaks.count && peaks.count == peakStarts.count, "one value of each per filter")
        self.means = means
        self.peaks = peaks
        self.peakStarts = peakStarts
        self.clipLength = clipLength
        sums = means.map(Double.init)
        clipCount = 1
    }

    public var filterCount: Int { means.count }

    /// Takes the activations of one clip, `[filterCount]`, starting at `start` seconds.
    public mutating func observe<C: Collection<Float>>(_ clipActivations: C, start: Double) {
        precondition(clipActivations.count == filterCount, "one activation per filter")
        clipCount += 1
        for (filter, value) in zip(0..<filterCount, clipActivations) {
            sums[filter] += Double(value)
            means[filter] = Float(sums[filter] / Double(clipCount))
            if value > peaks[filter] {
                peaks[filter] = value
                peakStarts[filter] = start
            }
        }
    }
}
