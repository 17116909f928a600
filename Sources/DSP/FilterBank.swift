#if canImport(Glibc)
import Glibc
#endif

/// Triangular filters over FFT bins, stored sparsely (each filter touches a few bins).
///
/// Built exactly as `librosa.filters.mel` builds its filters, so applying a bank to a
/// power spectrogram gives `librosa.feature.melspectrogram`.
public struct FilterBank: Sendable, Equatable {
    public let binCount: Int
    /// First bin of each filter's non-zero run.
    public let starts: [Int]
    /// The non-zero weights of each filter.
    public let weights: [[Float]]

    public var bandCount: Int { starts.count }

    public enum MelScale: String, Sendable, Codable {
        /// Auditory Toolbox scale: linear below 1 kHz, logarithmic above (librosa default).
        case slaney
        /// 2595·log10(1 + f/700).
        case htk
    }

    public enum Normalization: String, Sendable, Codable {
        /// Each triangle scaled to unit area over its bandwidth in Hz (librosa `norm="slaney"`).
        case slaney
        case none
    }

    /// `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)`.
    public static func mel(sampleRate: Int, fftSize: Int, bands: Int, minFrequency: Double = 0,
                           maxFrequency: Double? = nil, scale: MelScale = .slaney,
                           normalization: Normalization = .slaney) -> FilterBank {
        let top = maxFrequency ?? Double(sampleRate) / 2
        let lowMel = hzToMel(minFrequency, scale: scale)
        let highMel = hzToMel(top, scale: scale)
        let edges = (0..<(bands + 2)).map { index in
            melToHz(lowMel + (highMel - lowMel) * Double(index) / Double(bands + 1), scale: scale)
        }
        let triangles = (0..<bands).map { (lower: edges[$0], peak: edges[$0 + 1], upper: edges[$0 + 2]) }
        return FilterBank(triangles: triangles, sampleRate: sampleRate, fftSize: fftSize, normalization: normalization)
    }

    /// Triangles with peaks at fmin·2^(k/binsPerOctave), k = 0…bands−1, reaching to the neighbouring
    /// peaks; each side widened to at least one FFT bin so that no filter is empty at low frequencies.
    public static func logFrequency(sampleRate: Int, fftSize: Int, minFrequency: Double, binsPerOctave: Int,
                                    bands: Int) -> FilterBank {
        let binSpacing = Double(sampleRate) / Double(fftSize)
        let centre = { (k: Int) in minFrequency * pow(2, Double(k) / Double(binsPerOctave)) }
        let triangles = (0..<bands).map { k in
            let peak = centre(k)
            return (lower: min(centre(k - 1), peak - binSpacing), peak: peak, upper: max(centre(k + 1), peak + binSpacing))
        }
        return FilterBank(triangles: triangles, sampleRate: sampleRate, fftSize: fftSize, normalization: .slaney)
    }

    init(triangles: [(lower: Double, peak: Double, upper: Double)], sampleRate: Int, fftSize: Int,
         normalization: Normalization) {
        binCount = fftSize / 2 + 1
        let frequencies = (0..<binCount).map { Double($0) * Double(sampleRate) / Double(fftSize) }
        var starts: [Int] = []
        var weights: [[Float]] = []
        for triangle in triangles {
            let gain = normalization == .slaney ? 2 / (triangle.upper - triangle.lower) : 1
            var start = 0
            var run: [Float] = []
            for (bin, frequency) in frequencies.enumerated() {
                let rising = (frequency - triangle.lower) / (triangle.peak - triangle.lower)
                let falling = (triangle.upper - frequency) / (triangle.upper - triangle.peak)
                let weight = max(0, min(rising, falling))
                if weight > 0 {
                    if run.isEmpty { start = bin }
                    run.append(Float(weight * gain))
                } else if !run.isEmpty {
                    break
                }
            }
            starts.append(start)
            weights.append(run)
        }
        self.starts = starts
        self.weights = weights
    }

    /// The dense bands × bins matrix, as librosa returns it.
    public var dense: Matrix {
        var matrix = Matrix(rows: bandCount, columns: binCount)
        for band in 0..<bandCount {
            for (offset, weight) in weights[band].enumerated() { matrix[band, starts[band] + offset] = weight }
        }
        return matrix
    }

    /// Band energies of eight spectra: `bands[b] = Σ_k weight[b][k] · bins[k]`, lane by lane.
    public func apply(to bins: UnsafeBufferPointer<RealFFT.Lanes>, into bands: UnsafeMutablePointer<RealFFT.Lanes>) {
        for band in 0..<bandCount {
            var sum = RealFFT.Lanes.zero
            let start = starts[band]
            weights[band].withUnsafeBufferPointer { run in
                for offset in 0..<run.count { sum += bins[start + offset] * run[offset] }
            }
            bands[band] = sum
        }
    }

    public static func hzToMel(_ frequency: Double, scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 2595 * log10(1 + frequency / 700)
        case .slaney:
            let linearStep = 200.0 / 3
            let breakFrequency = 1000.0
            if frequency < breakFrequency { return frequency / linearStep }
            return breakFrequency / linearStep + log(frequency / breakFrequency) / slaneyLogStep
        }
    }

    public static func melToHz(_ mel: Double, scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let linearStep = 200.0 / 3
            let breakMel = 1000.0 / linearStep
            if mel < breakMel { return mel * linearStep }
            return 1000 * exp(slaneyLogStep * (mel - breakMel))
        }
    }

    private static let slaneyLogStep = log(6.4) / 27
}
