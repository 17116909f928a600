import AudioIO
import DSP
import ModelCore

/// Songs described by musicnn's 200-d penultimate layer, averaged over the song's 3-second patches.
///
/// Patches whose frames are mostly below −60 dBFS are left out, so silence never shapes a
/// vector; clips are the means of ten consecutive patches (30 s).
public struct MusicnnEncoder: PatchEncoder {
    public let network: MusicnnNetwork
    public let name: String
    public let plan: AnalysisPlan
    /// Patches per forward call. The network's speed hardly depends on it (its big convolutions
    /// go patch by patch), so it is kept small: little memory, and a song's last batch waits little.
    public static let batchSize = 8
    public static let patchesPerClip = 10
    static let framesPerSecond = MusicnnFrontEnd.spectrogram.framesPerSecond
    static let patchSeconds = Double(MusicnnNetwork.patchFrames) / framesPerSecond

    public init(network: MusicnnNetwork, name: String, plan: AnalysisPlan = AnalysisPlan()) {
        self.network = network
        self.name = name
        self.plan = plan
    }

    public var sampleRate: Int { MusicnnFrontEnd.spectrogram.sampleRate }
    public var batchSize: Int { Self.batchSize }

    public var descriptor: ModelDescriptor {
        ModelDescriptor(name: name, version: 1, dimension: MusicnnNetwork.embeddingSize, standardize: false,
                        summary: "musicnn (\(network.metadata["dataset"] ?? "?")) penultimate layer, mean over 3 s patches",
                        tagNames: network.tags, filterCount: MusicnnNetwork.embeddingSize)
    }

    public func cutPatches(_ decoder: AudioDecoder, progress: (Double) -> Void, emit: (Patch) -> Void) throws -> Double {
        var cutter = MusicnnPatchCutter()
        if let duration = decoder.info.knownDuration, let starts = plan.excerptStarts(duration: duration) {
            for (number, start) in starts.enumerated() {
                cutter.cut(samples: try decoder.readClip(start: start, duration: plan.excerptSeconds),
                           startingAt: start, stretch: number, emit: emit)
                progress(start + plan.excerptSeconds)
            }
        } else {
            let stream = SpectrogramStream(configuration: MusicnnFrontEnd.spectrogram)
            while true {
                let block = decoder.nextBlock()
                if block.isEmpty { break }
                stream.append(block) { cutter.add(rows: $0, emit: emit) }
                progress(decoder.secondsRead)
            }
            stream.finish { cutter.add(rows: $0, emit: emit) }
        }
        return cutter.finish(emit: emit)
    }

    public func cutPatches(samples: [Float], emit: (Patch) -> Void) -> Double {
        var cutter = MusicnnPatchCutter()
        cutter.cut(samples: samples, startingAt: 0, stretch: 0, emit: emit)
        return cutter.finish(emit: emit)
    }

    public func run(_ patches: [Patch]) -> [PatchOutput] {
        let size = MusicnnNetwork.embeddingSize
        var outputs: [PatchOutput] = []
        outputs.reserveCapacity(patches.count)
        // Only a song shorter than one patch makes a shorter one; it runs on its own.
        var first = 0
        while first < patches.count {
            let length = patches[first].values.count
            let end = patches[first...].firstIndex { $0.values.count != length } ?? patches.count
            let input = Tensor(shape: [end - first, length / MusicnnNetwork.bands, MusicnnNetwork.bands],
                               values: patches[first..<end].flatMap(\.values))
            let (embeddings, _, probabilities) = network.forward(patches: input)
            let tagCount = probabilities.shape[1]
            for index in 0..<(end - first) {
                outputs.append(PatchOutput(embedding: Array(embeddings.values[(index * size)..<((index + 1) * size)]),
                                           probabilities: Array(probabilities.values[(index * tagCount)..<((index + 1) * tagCount)])))
            }
            first = end
        }
        return outputs
    }

    public func summarize(_ patches: [(patch: PatchHeader, output: PatchOutput)], analyzedSeconds: Double) throws -> SongEmbedding {
        if analyzedSeconds == 0 { throw EncoderError.noAudio(reason: "the file holds no samples") }
        if analyzedSeconds < BaselineEncoder.minimumAudibleSeconds { throw EncoderError.tooShort(seconds: analyzedSeconds) }
        guard let tagCount = patches.first?.output.probabilities.count else { throw EncoderError.silent(audibleSeconds: 0) }
        let size = MusicnnNetwork.embeddingSize
        var embeddingSum = [Double](repeating: 0, count: size)
        var probabilitySum = [Double](repeating: 0, count: tagCount)
        var filterActivations = FilterActivations(filterCount: size, clipLength: Self.patchSeconds)
        var clips: [ClipEmbedding] = []
        var clipSum = [Double](repeating: 0, count: size)
        var clipPatches = 0
        var clip = PatchHeader(start: 0, stretch: 0)
        func closeClip() {
            guard clipPatches > 0 else { return }
            clips.append(ClipEmbedding(start: clip.start, length: Double(clipPatches) * Self.patchSeconds,
                                       vector: clipSum.map { Float($0 / Double(clipPatches)) }))
            clipSum = [Double](repeating: 0, count: size)
            clipPatches = 0
        }
        let clipSeconds = Double(Self.patchesPerClip) * Self.patchSeconds
        for (header, output) in patches {
            // A clip is up to ten patches in one stretch of 30 s; silent patches left out make gaps.
            if clipPatches == Self.patchesPerClip || header.stretch != clip.stretch || header.start >= clip.start + clipSeconds {
                closeClip()
            }
            if clipPatches == 0 { clip = header }
            for (dimension, value) in zip(0..<size, output.embedding) {
                embeddingSum[dimension] += Double(value)
                clipSum[dimension] += Double(value)
            }
            for (tag, probability) in output.probabilities.enumerated() { probabilitySum[tag] += Double(probability) }
            filterActivations.observe(output.embedding, start: header.start)
            clipPatches += 1
        }
        closeClip()
        let count = Double(patches.count)
        var embedding = SongEmbedding(vector: embeddingSum.map { Float($0 / count) }, clips: clips,
                                      analyzedSeconds: analyzedSeconds, audibleSeconds: count * Self.patchSeconds)
        embedding.tagProbabilities = probabilitySum.map { Float($0 / count) }
        embedding.filterActivations = filterActivations
        return embedding
    }
}

/// Cuts log-mel frames into musicnn's 3-second patches, leaving out the mostly silent ones.
struct MusicnnPatchCutter {
    private var frames: [Float] = []
    private var levels: [Float] = []
    /// Source time of the first buffered frame.
    private var bufferStart = 0.0
    private var stretch = 0
    private var totalFrames = 0
    private var emitted = 0

    mutating func add(rows: SpectrogramRows, emit: (Patch) -> Void) {
        frames.append(contentsOf: rows.values)
        levels.append(contentsOf: rows.levels)
        totalFrames += rows.frameCount
        cutWhole(emit: emit)
    }

    /// An excerpt: its own spectrogram, patches never straddling two excerpts.
    mutating func cut(samples: [Float], startingAt start: Double, stretch: Int, emit: (Patch) -> Void) {
        frames.removeAll()
        levels.removeAll()
        bufferStart = start
        self.stretch = stretch
        let stream = SpectrogramStream(configuration: MusicnnFrontEnd.spectrogram)
        stream.append(samples) { add(rows: $0, emit: emit) }
        stream.finish { add(rows: $0, emit: emit) }
    }

    /// The seconds analysed. A song shorter than one patch is heard as one shorter patch.
    mutating func finish(emit: (Patch) -> Void) -> Double {
        if emitted == 0 && !frames.isEmpty { emitIfAudible(frameCount: levels.count, emit: emit) }
        return Double(totalFrames) / MusicnnEncoder.framesPerSecond
    }

    private mutating func cutWhole(emit: (Patch) -> Void) {
        while levels.count >= MusicnnNetwork.patchFrames {
            emitIfAudible(frameCount: MusicnnNetwork.patchFrames, emit: emit)
            frames.removeFirst(MusicnnNetwork.patchFrames * MusicnnNetwork.bands)
            levels.removeFirst(MusicnnNetwork.patchFrames)
            bufferStart += MusicnnEncoder.patchSeconds
        }
    }

    private mutating func emitIfAudible(frameCount: Int, emit: (Patch) -> Void) {
        let audible = levels.prefix(frameCount).filter { $0 >= BaselineEncoder.silenceThreshold }.count
        guard Double(audible) / MusicnnEncoder.framesPerSecond >= BaselineEncoder.minimumAudibleSeconds else { return }
        emit(Patch(start: bufferStart, stretch: stretch, values: Array(frames.prefix(frameCount * MusicnnNetwork.bands))))
        emitted += 1
    }
}
