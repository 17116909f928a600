import AudioIO
import DSP
import ModelCore

/// Songs described by musicnn's 200-d penultimate layer, averaged over the song's 3-second patches.
///
/// Patches whose frames are mostly below −60 dBFS are left out, so silence never shapes a
/// vector; clips are the means of ten consecutive patches (30 s).
public struct MusicnnEncoder: SongEncoder {
    public let network: MusicnnNetwork
    public let name: String
    public let plan: AnalysisPlan
    /// Patches per forward call: enough rows for efficient matrix products, little memory.
    public static let batchSize = 8
    public static let patchesPerClip = 10

    public init(network: MusicnnNetwork, name: String, plan: AnalysisPlan = AnalysisPlan()) {
        self.network = network
        self.name = name
        self.plan = plan
    }

    public var sampleRate: Int { MusicnnFrontEnd.spectrogram.sampleRate }

    public var descriptor: ModelDescriptor {
        ModelDescriptor(name: name, version: 1, dimension: MusicnnNetwork.embeddingSize, standardize: false,
                        summary: "musicnn (\(network.metadata["dataset"] ?? "?")) penultimate layer, mean over 3 s patches",
                        tagNames: network.tags, filterCount: MusicnnNetwork.embeddingSize)
    }

    public func embed(_ decoder: AudioDecoder, progress: (Double) -> Void) throws -> SongEmbedding {
        var accumulator = PatchAccumulator(encoder: self)
        if let duration = decoder.info.knownDuration, let starts = plan.excerptStarts(duration: duration) {
            for start in starts {
                accumulator.add(samples: try decoder.readClip(start: start, duration: plan.excerptSeconds), startingAt: start)
                progress(start + plan.excerptSeconds)
            }
        } else {
            let stream = SpectrogramStream(configuration: MusicnnFrontEnd.spectrogram)
            while true {
                let block = decoder.nextBlock()
                if block.isEmpty { break }
                stream.append(block) { accumulator.add(rows: $0) }
                progress(decoder.secondsRead)
            }
            stream.finish { accumulator.add(rows: $0) }
        }
        return try accumulator.finish()
    }

    public func embed(samples: [Float]) throws -> SongEmbedding {
        var accumulator = PatchAccumulator(encoder: self)
        accumulator.add(samples: samples, startingAt: 0)
        return try accumulator.finish()
    }
}

/// Gathers log-mel frames into patches, runs them in batches, and keeps running means.
struct PatchAccumulator {
    let encoder: MusicnnEncoder
    private var frames: [Float] = []
    private var levels: [Float] = []
    /// Source time of the first buffered frame.
    private var bufferStart = 0.0
    private var pending: [(start: Double, values: ArraySlice<Float>)] = []
    private var embeddingSum = [Double](repeating: 0, count: MusicnnNetwork.embeddingSize)
    private var probabilitySum: [Double] = []
    private var patchCount = 0
    private var totalFrames = 0
    private var clipSum = [Double](repeating: 0, count: MusicnnNetwork.embeddingSize)
    private var clipPatches = 0
    private var clipStart = 0.0
    private(set) var clips: [ClipEmbedding] = []
    private var filterActivations = FilterActivations(filterCount: MusicnnNetwork.embeddingSize, clipLength: PatchAccumulator.patchSeconds)

    init(encoder: MusicnnEncoder) { self.encoder = encoder }

    static let framesPerSecond = MusicnnFrontEnd.spectrogram.framesPerSecond
    static let patchSeconds = Double(MusicnnNetwork.patchFrames) / framesPerSecond

    mutating func add(rows: SpectrogramRows) {
        frames.append(contentsOf: rows.values)
        levels.append(contentsOf: rows.levels)
        totalFrames += rows.frameCount
        cutPatches()
    }

    /// An excerpt: its own spectrogram, patches never straddling two excerpts.
    mutating func add(samples: [Float], startingAt start: Double) {
        flushClip()
        frames.removeAll()
        levels.removeAll()
        bufferStart = start
        clipStart = start
        let stream = SpectrogramStream(configuration: MusicnnFrontEnd.spectrogram)
        stream.append(samples) { add(rows: $0) }
        stream.finish { add(rows: $0) }
    }

    private mutating func cutPatches() {
        let patchValues = MusicnnNetwork.patchFrames * MusicnnNetwork.bands
        while frames.count >= patchValues {
            let audible = levels.prefix(MusicnnNetwork.patchFrames).filter { $0 >= BaselineEncoder.silenceThreshold }.count
            if Double(audible) / Self.framesPerSecond >= BaselineEncoder.minimumAudibleSeconds {
                pending.append((bufferStart, frames[0..<patchValues]))
            }
            frames.removeFirst(patchValues)
            levels.removeFirst(MusicnnNetwork.patchFrames)
            bufferStart += Self.patchSeconds
            if pending.count == MusicnnEncoder.batchSize { runPending() }
        }
    }

    private mutating func runPending() {
        guard !pending.isEmpty else { return }
        let length = pending[0].values.count / MusicnnNetwork.bands
        let input = Tensor(shape: [pending.count, length, MusicnnNetwork.bands], values: pending.flatMap { $0.values })
        let (embeddings, _, probabilities) = encoder.network.forward(patches: input)
        let size = MusicnnNetwork.embeddingSize
        let tagCount = probabilities.shape[1]
        if probabilitySum.isEmpty { probabilitySum = [Double](repeating: 0, count: tagCount) }
        for index in 0..<probabilities.count { probabilitySum[index % tagCount] += Double(probabilities.values[index]) }
        for (index, patch) in pending.enumerated() {
            if clipPatches == MusicnnEncoder.patchesPerClip || patch.start >= clipStart + Double(MusicnnEncoder.patchesPerClip) * Self.patchSeconds {
                closeClip()
                clipStart = patch.start
            }
            let patchEmbedding = embeddings.values[(index * size)..<((index + 1) * size)]
            for (dimension, value) in zip(0..<size, patchEmbedding) {
                embeddingSum[dimension] += Double(value)
                clipSum[dimension] += Double(value)
            }
            filterActivations.observe(patchEmbedding, start: patch.start)
            patchCount += 1
            clipPatches += 1
        }
        pending.removeAll()
    }

    /// Runs the patches still waiting, then closes the clip they belong to.
    private mutating func flushClip() {
        runPending()
        closeClip()
    }

    private mutating func closeClip() {
        guard clipPatches > 0 else { return }
        clips.append(ClipEmbedding(start: clipStart, length: Double(clipPatches) * Self.patchSeconds,
                                   vector: clipSum.map { Float($0 / Double(clipPatches)) }))
        clipSum = [Double](repeating: 0, count: MusicnnNetwork.embeddingSize)
        clipPatches = 0
    }

    /// The song's embedding; a song shorter than one patch is heard as one shorter patch.
    mutating func finish() throws -> SongEmbedding {
        if patchCount == 0 && pending.isEmpty && !frames.isEmpty {
            let audible = levels.filter { $0 >= BaselineEncoder.silenceThreshold }.count
            if Double(audible) / Self.framesPerSecond >= BaselineEncoder.minimumAudibleSeconds {
                pending.append((bufferStart, frames[...]))
            }
        }
        flushClip()
        let analyzed = Double(totalFrames) / Self.framesPerSecond
        if totalFrames == 0 { throw EncoderError.noAudio(reason: "the file holds no samples") }
        if analyzed < BaselineEncoder.minimumAudibleSeconds { throw EncoderError.tooShort(seconds: analyzed) }
        guard patchCount > 0 else { throw EncoderError.silent(audibleSeconds: 0) }
        let vector = embeddingSum.map { Float($0 / Double(patchCount)) }
        var embedding = SongEmbedding(vector: vector, clips: clips, analyzedSeconds: analyzed,
                                      audibleSeconds: Double(patchCount) * Self.patchSeconds)
        embedding.tagProbabilities = probabilitySum.map { Float($0 / Double(patchCount)) }
        embedding.filterActivations = filterActivations
        return embedding
    }
}
