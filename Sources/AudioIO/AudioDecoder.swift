import DSP

/// Decodes a file to mono float32 at a chosen rate, block by block, in constant memory.
///
/// Channels are averaged, then a band-limited resampler converts to `outputRate`. NaN and
/// infinite samples (broken float files) become 0 and are counted. A decoding error in the
/// middle of a file ends the stream early instead of failing it: `stoppedEarly` says why,
/// and what came before stays usable.
public final class AudioDecoder {
    public let file: SoundFile
    public let outputRate: Int
    /// Source frames per read: ~0.1 s at 44.1 kHz.
    public static let blockFrames = 4096

    public private(set) var sourceFramesRead: Int64 = 0
    public private(set) var nonFiniteSamples = 0
    public private(set) var stoppedEarly: AudioError?
    public private(set) var isFinished = false

    private var resampler: Resampler
    private let design: ResamplerDesign
    private var interleaved: [Float]
    private var mono: [Float]

    public init(path: PathBytes, outputRate: Int) throws {
        file = try SoundFile(path: path)
        self.outputRate = outputRate
        design = ResamplerDesign(inputRate: file.info.sampleRate, outputRate: outputRate)
        resampler = Resampler(design: design)
        interleaved = [Float](repeating: 0, count: AudioDecoder.blockFrames * file.info.channels)
        mono = [Float](repeating: 0, count: AudioDecoder.blockFrames)
    }

    public var info: SoundFileInfo { file.info }

    /// Seconds of source audio decoded so far.
    public var secondsRead: Double { Double(sourceFramesRead) / Double(file.info.sampleRate) }

    /// The next block of output samples; empty once the file is exhausted.
    public func nextBlock() -> [Float] {
        var output: [Float] = []
        while output.isEmpty && !isFinished {
            let frames = readMono()
            if frames > 0 {
                mono.withUnsafeBufferPointer { resampler.process(UnsafeBufferPointer(rebasing: $0[0..<frames]), into: &output) }
            }
            if frames < AudioDecoder.blockFrames {
                if let reason = file.pendingError {
                    stoppedEarly = .decodeFailed(atSecond: secondsRead, reason: reason)
                }
                resampler.finish(into: &output)
                isFinished = true
            }
        }
        return output
    }

    /// Continues decoding from `second` of the source (the resampler restarts there).
    public func seek(toSecond second: Double) throws {
        let frame = Int64((max(0, second) * Double(file.info.sampleRate)).rounded())
        try file.seek(toFrame: frame)
        sourceFramesRead = frame
        resampler = Resampler(design: design)
        isFinished = false
        stoppedEarly = nil
    }

    /// Decodes `duration` seconds starting at `start` without decoding what comes before.
    ///
    /// The decoder seeks a little ahead of `start`, to a source frame where the resampler's
    /// output grid coincides with that of a decode from the beginning, so the filter is settled
    /// and the clip holds the very samples a full decode would hold there. Shorter if the file
    /// ends first.
    public func readClip(start: Double, duration: Double) throws -> [Float] {
        let (up, down) = (design.upFactor, design.downFactor)
        let firstOutput = Int((max(0, start) * Double(outputRate)).rounded())
        let wanted = Int((duration * Double(outputRate)).rounded())
        // Output n sits at source frame n·M/L; seek to a multiple of M, one filter length earlier.
        let sourceFrame = firstOutput * down / up
        if let known = file.info.knownDuration, Double(sourceFrame) >= known * Double(file.info.sampleRate) { return [] }
        let seekFrame = max(0, (sourceFrame - design.tapsPerPhase) / down) * down
        try file.seek(toFrame: Int64(seekFrame))
        sourceFramesRead = Int64(seekFrame)
        resampler = Resampler(design: design)
        isFinished = false
        stoppedEarly = nil
        let skip = firstOutput - seekFrame / down * up
        var samples: [Float] = []
        samples.reserveCapacity(skip + wanted)
        while samples.count < skip + wanted {
            let block = nextBlock()
            if block.isEmpty { break }
            samples.append(contentsOf: block)
        }
        guard samples.count > skip else { return [] }
        return Array(samples[skip..<min(samples.count, skip + wanted)])
    }

    /// Decodes the whole file into memory; for short files and tests.
    public func readAll() -> [Float] {
        var samples: [Float] = []
        while true {
            let block = nextBlock()
            if block.isEmpty { return samples }
            samples.append(contentsOf: block)
        }
    }

    /// Reads one block of source frames and averages the channels into `mono`.
    private func readMono() -> Int {
        let channels = file.info.channels
        let frames = interleaved.withUnsafeMutableBufferPointer {
            file.read(into: $0.baseAddress!, frames: AudioDecoder.blockFrames)
        }
        guard frames > 0 else { return 0 }
        sourceFramesRead += Int64(frames)
        let scale = 1 / Float(channels)
        interleaved.withUnsafeBufferPointer { source in
            mono.withUnsafeMutableBufferPointer { target in
                for frame in 0..<frames {
                    var sum: Float = 0
                    let base = frame * channels
                    for channel in 0..<channels { sum += source[base + channel] }
                    var value = sum * scale
                    if !value.isFinite {
                        value = 0
                        nonFiniteSamples += 1
                    }
                    target[frame] = value
                }
            }
        }
        return frames
    }
}
