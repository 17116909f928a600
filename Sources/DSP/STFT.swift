/// How frames are cut from a signal, in librosa's terms.
public struct STFTConfiguration: Sendable, Codable, Equatable {
    public enum PadMode: String, Sendable, Codable {
        /// Zeros beyond the signal (librosa ≥ 0.10 default).
        case constant
        /// Mirror image without repeating the edge sample (numpy `reflect`; librosa < 0.10 default).
        case reflect
    }

    public var fftSize: Int
    public var hopLength: Int
    public var window: WindowFunction
    /// Frame t is centred on sample t·hop (padding fftSize/2 on both sides) rather than starting there.
    public var center: Bool
    public var padMode: PadMode
    /// 1 for magnitude, 2 for power.
    public var power: Int

    public init(fftSize: Int = 1024, hopLength: Int = 256, window: WindowFunction = .hann,
                center: Bool = true, padMode: PadMode = .constant, power: Int = 2) {
        precondition(power == 1 || power == 2, "power must be 1 (magnitude) or 2 (power)")
        self.fftSize = fftSize
        self.hopLength = hopLength
        self.window = window
        self.center = center
        self.padMode = padMode
        self.power = power
    }

    public var binCount: Int { fftSize / 2 + 1 }

    /// Frames librosa produces for `sampleCount` samples.
    public func frameCount(sampleCount: Int) -> Int {
        if center { return 1 + sampleCount / hopLength }
        return sampleCount < fftSize ? 0 : 1 + (sampleCount - fftSize) / hopLength
    }
}

/// A group of up to eight consecutive spectra handed to a consumer.
public struct SpectrumBlock {
    /// Index of the block's first frame in the whole signal.
    public let firstFrame: Int
    /// Frames in this block (1…8); lane l holds frame firstFrame + l.
    public let frameCount: Int
    /// `binCount` lanes.
    public let bins: UnsafeBufferPointer<RealFFT.Lanes>
}

/// Short-time Fourier transform over a stream of samples, in constant memory.
///
/// Produces exactly the frames of `librosa.stft` (for the same window, centring and
/// padding), eight at a time, as soon as the samples they cover have arrived.
public final class STFTStream {
    public let configuration: STFTConfiguration
    private let fft: RealFFT
    private let window: [Float]
    private let padding: Int

    /// Recent samples; `buffer[0]` is signal sample `bufferStart`.
    private var buffer: [Float] = []
    private var bufferStart = 0
    /// The first fftSize/2 + 1 samples, which reflect padding at the start mirrors.
    private var head: [Float] = []
    private var received = 0
    private var nextFrame = 0

    // Fixed buffers with stable addresses, handed to the FFT as raw pointers.
    private let workspace: UnsafeMutablePointer<RealFFT.Lanes>
    private let spectra: UnsafeMutablePointer<RealFFT.Lanes>
    /// Eight frames' worth of samples for frames that reach into the padding.
    private let scratchFrames: UnsafeMutablePointer<Float>

    public init(configuration: STFTConfiguration) {
        self.configuration = configuration
        fft = RealFFT(size: configuration.fftSize)
        window = configuration.window.periodic(length: configuration.fftSize)
        padding = configuration.center ? configuration.fftSize / 2 : 0
        workspace = .allocate(capacity: fft.workspaceCount)
        spectra = .allocate(capacity: fft.binCount)
        scratchFrames = .allocate(capacity: RealFFT.laneCount * configuration.fftSize)
    }

    deinit {
        workspace.deallocate()
        spectra.deallocate()
        scratchFrames.deallocate()
    }

    public var framesEmitted: Int { nextFrame }

    /// Adds samples and hands every group of eight complete frames to `consumer`.
    public func append(_ samples: UnsafeBufferPointer<Float>, consumer: (SpectrumBlock) -> Void) {
        let headWanted = configuration.fftSize / 2 + 1
        if head.count < headWanted {
            head.append(contentsOf: samples.prefix(headWanted - head.count))
        }
        buffer.append(contentsOf: samples)
        received += samples.count
        emitReadyFrames(final: false, consumer: consumer)
    }

    public func append(_ samples: [Float], consumer: (SpectrumBlock) -> Void) {
        samples.withUnsafeBufferPointer { append($0, consumer: consumer) }
    }

    /// Ends the signal: emits the remaining frames, padded at the end.
    public func finish(consumer: (SpectrumBlock) -> Void) {
        emitReadyFrames(final: true, consumer: consumer)
    }

    private func isReady(frame: Int) -> Bool {
        let end = frame * configuration.hopLength - padding + configuration.fftSize
        let reflectHeadNeeded = configuration.padMode == .reflect && frame * configuration.hopLength < padding
        return end <= received && (!reflectHeadNeeded || received > padding)
    }

    private func emitReadyFrames(final: Bool, consumer: (SpectrumBlock) -> Void) {
        let total = configuration.frameCount(sampleCount: received)
        while true {
            var count = 0
            while count < RealFFT.laneCount {
                let frame = nextFrame + count
                guard final ? frame < total : isReady(frame: frame) else { break }
                count += 1
            }
            // Outside the final flush, wait for a full group of eight.
            guard count > 0, final || count == RealFFT.laneCount else { break }
            emit(firstFrame: nextFrame, count: count, final: final, consumer: consumer)
            nextFrame += count
        }
        discardConsumedSamples()
    }

    private func emit(firstFrame: Int, count: Int, final: Bool, consumer: (SpectrumBlock) -> Void) {
        let size = configuration.fftSize
        buffer.withUnsafeBufferPointer { samples in
            var pointers: [UnsafePointer<Float>] = []
            pointers.reserveCapacity(count)
            for lane in 0..<count {
                let start = (firstFrame + lane) * configuration.hopLength - padding
                if start >= bufferStart && start + size <= bufferStart + samples.count {
                    pointers.append(samples.baseAddress! + (start - bufferStart))
                } else {
                    let scratch = scratchFrames + lane * size
                    for offset in 0..<size {
                        scratch[offset] = sample(at: start + offset, final: final, buffered: samples)
                    }
                    pointers.append(UnsafePointer(scratch))
                }
            }
            window.withUnsafeBufferPointer { windowPointer in
                fft.spectrum(frames: pointers, window: windowPointer.baseAddress!, workspace: workspace,
                             output: spectra, magnitude: configuration.power == 1)
            }
        }
        consumer(SpectrumBlock(firstFrame: firstFrame, frameCount: count,
                               bins: UnsafeBufferPointer(start: spectra, count: fft.binCount)))
    }

    /// Signal sample `index`, padded beyond both ends.
    private func sample(at index: Int, final: Bool, buffered: UnsafeBufferPointer<Float>) -> Float {
        var position = index
        if index < 0 || (final && index >= received) {
            switch configuration.padMode {
            case .constant: return 0
            case .reflect:
                guard received > 1 else { return received == 1 ? (head.first ?? 0) : 0 }
                let period = 2 * (received - 1)
                var folded = index % period
                if folded < 0 { folded += period }
                position = folded < received ? folded : period - folded
            }
        }
        if position < head.count && position < bufferStart { return head[position] }
        let offset = position - bufferStart
        return offset >= 0 && offset < buffered.count ? buffered[offset] : 0
    }

    /// Keeps one frame length before the next frame's start: enough for reflect padding at the end.
    private func discardConsumedSamples() {
        let keepFrom = nextFrame * configuration.hopLength - padding - configuration.fftSize
        let removable = keepFrom - bufferStart
        if removable > 65_536 {
            buffer.removeFirst(removable)
            bufferStart = keepFrom
        }
    }
}
