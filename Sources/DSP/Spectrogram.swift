#if canImport(Glibc)
import Glibc
#endif

/// Everything that turns samples into a model's input: rate, frames, filters, compression.
public struct SpectrogramConfiguration: Sendable, Codable, Equatable {
    public enum Bands: Sendable, Codable, Equatable {
        case mel(count: Int, minFrequency: Double, maxFrequency: Double?, scale: FilterBank.MelScale,
                 normalization: FilterBank.Normalization)
        case logFrequency(count: Int, minFrequency: Double, binsPerOctave: Int)
        /// The linear-frequency spectrum itself.
        case linear
    }

    public var sampleRate: Int
    public var stft: STFTConfiguration
    public var bands: Bands
    /// Nil keeps linear energies.
    public var compression: LogCompression?

    public init(sampleRate: Int, stft: STFTConfiguration, bands: Bands, compression: LogCompression?) {
        self.sampleRate = sampleRate
        self.stft = stft
        self.bands = bands
        self.compression = compression
    }

    /// Soundmap's default analysis front end: 22,050 Hz, 1024-point frames every 256 samples, 96 Slaney mel bands, dB.
    public static let standardLogMel = SpectrogramConfiguration(
        sampleRate: 22_050, stft: STFTConfiguration(fftSize: 1024, hopLength: 256),
        bands: .mel(count: 96, minFrequency: 0, maxFrequency: nil, scale: .slaney, normalization: .slaney),
        compression: .decibels(floor: 1e-10))

    public var bandCount: Int {
        switch bands {
        case .mel(let count, _, _, _, _), .logFrequency(let count, _, _): count
        case .linear: stft.binCount
        }
    }

    public var framesPerSecond: Double { Double(sampleRate) / Double(stft.hopLength) }

    public func makeFilterBank() -> FilterBank? {
        switch bands {
        case .mel(let count, let low, let high, let scale, let normalization):
            return .mel(sampleRate: sampleRate, fftSize: stft.fftSize, bands: count, minFrequency: low,
                        maxFrequency: high, scale: scale, normalization: normalization)
        case .logFrequency(let count, let low, let perOctave):
            return .logFrequency(sampleRate: sampleRate, fftSize: stft.fftSize, minFrequency: low,
                                 binsPerOctave: perOctave, bands: count)
        case .linear:
            return nil
        }
    }
}

/// Frames of a spectrogram handed to a consumer: `frameCount` rows of `bandCount` values.
public struct SpectrogramRows {
    public let firstFrame: Int
    public let frameCount: Int
    public let bandCount: Int
    /// Row-major, frame after frame.
    public let values: UnsafeBufferPointer<Float>
    /// Level of each frame in dB relative to a full-scale sine (0 dB), from its power spectrum.
    public let levels: UnsafeBufferPointer<Float>

    public func row(_ index: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: values[(index * bandCount)..<((index + 1) * bandCount)])
    }
}

/// A streaming spectrogram: samples in, compressed band energies out, in constant memory.
public final class SpectrogramStream {
    public let configuration: SpectrogramConfiguration
    private let stft: STFTStream
    private let filterBank: FilterBank?
    private let bandLanes: UnsafeMutablePointer<RealFFT.Lanes>
    private var rows: [Float]
    private var levels: [Float]
    /// Converts Σ_k c_k·|X_k|² of a Hann-windowed frame into mean square relative to a full-scale sine.
    private let levelScale: Float

    public init(configuration: SpectrogramConfiguration) {
        self.configuration = configuration
        stft = STFTStream(configuration: configuration.stft)
        filterBank = configuration.makeFilterBank()
        let bands = configuration.bandCount
        bandLanes = .allocate(capacity: bands)
        rows = [Float](repeating: 0, count: RealFFT.laneCount * bands)
        levels = [Float](repeating: 0, count: RealFFT.laneCount)
        // Parseval: Σ_n (x_n w_n)² = (1/N) Σ_k |X_k|²; divide by Σ w² for the signal's mean square,
        // and by 1/2 (a full-scale sine's mean square) for dB re full scale.
        let window = configuration.stft.window.periodic(length: configuration.stft.fftSize)
        let windowEnergy = window.reduce(0) { $0 + $1 * $1 }
        levelScale = 2 / (Float(configuration.stft.fftSize) * windowEnergy)
    }

    deinit { bandLanes.deallocate() }

    public var framesEmitted: Int { stft.framesEmitted }

    public func append(_ samples: UnsafeBufferPointer<Float>, consumer: (SpectrogramRows) -> Void) {
        stft.append(samples) { process($0, consumer: consumer) }
    }

    public func append(_ samples: [Float], consumer: (SpectrogramRows) -> Void) {
        samples.withUnsafeBufferPointer { append($0, consumer: consumer) }
    }

    public func finish(consumer: (SpectrogramRows) -> Void) {
        stft.finish { process($0, consumer: consumer) }
    }

    private func process(_ block: SpectrumBlock, consumer: (SpectrogramRows) -> Void) {
        let bands = configuration.bandCount
        let bins = block.bins
        // Frame level from the power spectrum (squared first when the STFT gives magnitudes).
        var energy = RealFFT.Lanes.zero
        let squared = configuration.stft.power == 1
        for k in 0..<bins.count {
            let value = squared ? bins[k] * bins[k] : bins[k]
            energy += (k == 0 || k == bins.count - 1) ? value : value * 2
        }
        for lane in 0..<block.frameCount {
            levels[lane] = 10 * log10f(max(1e-20, energy[lane] * levelScale))
        }
        let source: UnsafePointer<RealFFT.Lanes>
        if let filterBank {
            filterBank.apply(to: bins, into: bandLanes)
            source = UnsafePointer(bandLanes)
        } else {
            source = bins.baseAddress!
        }
        let compression = configuration.compression
        rows.withUnsafeMutableBufferPointer { output in
            for band in 0..<bands {
                let lanes = source[band]
                for lane in 0..<block.frameCount {
                    output[lane * bands + band] = compression?.apply(lanes[lane]) ?? lanes[lane]
                }
            }
        }
        rows.withUnsafeBufferPointer { values in
            levels.withUnsafeBufferPointer { levelValues in
                consumer(SpectrogramRows(firstFrame: block.firstFrame, frameCount: block.frameCount, bandCount: bands,
                                         values: UnsafeBufferPointer(rebasing: values[0..<(block.frameCount * bands)]),
                                         levels: UnsafeBufferPointer(rebasing: levelValues[0..<block.frameCount])))
            }
        }
    }
}

extension SpectrogramConfiguration {
    /// The whole spectrogram of `signal` (frames × bands); for clips and tests.
    public func spectrogram(of signal: [Float]) -> Matrix {
        let stream = SpectrogramStream(configuration: self)
        var result = Matrix(rows: 0, columns: bandCount)
        result.values.reserveCapacity(stft.frameCount(sampleCount: signal.count) * bandCount)
        let collect = { (rows: SpectrogramRows) in
            result.values.append(contentsOf: rows.values)
            result.rows += rows.frameCount
        }
        stream.append(signal, consumer: collect)
        stream.finish(consumer: collect)
        return result
    }
}
