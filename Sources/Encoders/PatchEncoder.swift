import AudioIO

/// One network input cut from a song.
public struct Patch: Sendable {
    /// Where the patch starts in the song, in seconds.
    public var start: Double
    /// Which stretch of the song it comes from: 0 for a song heard whole, the excerpt's number for
    /// a long file heard through excerpts. Clips never span two stretches.
    public var stretch: Int
    /// The network's input, row-major; patches of one length share a forward call.
    public var values: [Float]

    public init(start: Double, stretch: Int, values: [Float]) {
        self.start = start
        self.stretch = stretch
        self.values = values
    }
}

/// What the network made of one patch.
public struct PatchOutput: Sendable, Equatable {
    /// The patch's vector, one activation per filter of the last encoder layer.
    public var embedding: [Float]
    /// Tag probabilities (empty for a model without tags).
    public var probabilities: [Float]

    public init(embedding: [Float], probabilities: [Float]) {
        self.embedding = embedding
        self.probabilities = probabilities
    }
}

/// An encoder that hears a song as fixed-length patches run through a network.
///
/// Its three steps are separate so that indexing can pool patches: each song is cut on one
/// thread, while forward calls take whatever patches are waiting, from any song, on any core. A
/// song's embedding comes from its patch outputs in song order, so it does not depend on how the
/// patches were batched.
public protocol PatchEncoder: SongEncoder {
    /// Patches per forward call: enough for efficient matrix products, little memory.
    var batchSize: Int { get }
    /// Cuts the song read from `decoder` into patches, in song order, handing each to `emit`.
    /// `progress` receives the seconds of source audio consumed so far. Returns the seconds of
    /// audio analysed.
    func cutPatches(_ decoder: AudioDecoder, progress: (Double) -> Void, emit: (Patch) -> Void) throws -> Double
    /// Cuts audio already in memory at `sampleRate`; returns the seconds analysed.
    func cutPatches(samples: [Float], emit: (Patch) -> Void) -> Double
    /// Runs the network on the calling thread's core; one output per patch, in order.
    func run(_ patches: [Patch]) -> [PatchOutput]
    /// The song's embedding from all its patches' outputs, in song order.
    func summarize(_ patches: [(patch: PatchHeader, output: PatchOutput)], analyzedSeconds: Double) throws -> SongEmbedding
}

/// Where a patch lies in its song: what summarising needs once its values are gone.
public struct PatchHeader: Sendable, Equatable {
    public var start: Double
    public var stretch: Int

    public init(start: Double, stretch: Int) {
        self.start = start
        self.stretch = stretch
    }

    public init(_ patch: Patch) {
        self.init(start: patch.start, stretch: patch.stretch)
    }
}

extension PatchEncoder {
    public func embed(_ decoder: AudioDecoder, progress: (Double) -> Void) throws -> SongEmbedding {
        var batches = SongBatches(encoder: self)
        let analyzed = try cutPatches(decoder, progress: progress) { batches.add($0) }
        return try summarize(batches.finish(), analyzedSeconds: analyzed)
    }

    public func embed(samples: [Float]) throws -> SongEmbedding {
        var batches = SongBatches(encoder: self)
        let analyzed = cutPatches(samples: samples) { batches.add($0) }
        return try summarize(batches.finish(), analyzedSeconds: analyzed)
    }
}

/// One song's patches run a batch at a time as they are cut, for embedding a song on its own.
struct SongBatches<Encoder: PatchEncoder> {
    let encoder: Encoder
    private var waiting: [Patch] = []
    private var outputs: [(patch: PatchHeader, output: PatchOutput)] = []

    init(encoder: Encoder) { self.encoder = encoder }

    mutating func add(_ patch: Patch) {
        waiting.append(patch)
        if waiting.count == encoder.batchSize { runWaiting() }
    }

    mutating func finish() -> [(patch: PatchHeader, output: PatchOutput)] {
        runWaiting()
        return outputs
    }

    private mutating func runWaiting() {
        guard !waiting.isEmpty else { return }
        outputs.append(contentsOf: zip(waiting.map(PatchHeader.init), encoder.run(waiting)).map { ($0, $1) })
        waiting.removeAll(keepingCapacity: true)
    }
}
