import DSP
import Foundation

/// One-channel convolutions max-pooled over the whole width, computed with FFTs where the kernels
/// are long: musicnn's front end (timbral filters 7 × 38 and 7 × 67 across 96 mel bands, temporal
/// filters 128, 64 and 32 frames long), 96 % of its arithmetic.
///
/// Directly, each output costs one multiply-add per kernel weight. With the signals' and kernels'
/// spectra, a correlation is one complex product per bin and one inverse FFT for every position at
/// once (`alongWidth`, `alongHeight`). Only positions the kernel covers without wrapping around are
/// kept. A ReLU and a per-channel affine are monotonic, so they commute with the maximum — with the
/// minimum where the scale is negative: only the two extremes per output and channel are kept, and
/// the epilogue runs on those.
enum SpectralConvolution {
    /// Narrower kernels are cheaper directly (timbral filters are 38 and 67 wide).
    static let minimumKernelWidth = 16
    /// Shorter one-column kernels are cheaper directly; at 32 rows (musicnn's shortest temporal
    /// filter, over 187 frames) the FFT is already a little ahead.
    static let minimumKernelHeight = 32

    static func handles(input: Tensor, geometry g: WindowGeometry, pooling: ConvolutionEpilogue.Pooling) -> Bool {
        let plain = input.shape[3] == 1 && pooling == .maxOverWidth && g.strideHeight == 1 && g.strideWidth == 1
            && g.dilationHeight == 1 && g.dilationWidth == 1 && g.padLeft == 0 && g.padRight == 0
        return plain && (isWide(g, width: input.shape[2]) || isTall(g))
    }

    private static func isWide(_ g: WindowGeometry, width: Int) -> Bool {
        g.kernelWidth >= minimumKernelWidth && g.kernelWidth <= width
    }

    private static func isTall(_ g: WindowGeometry) -> Bool {
        g.kernelWidth == 1 && g.kernelHeight >= minimumKernelHeight
    }

    /// Shapes as `Conv2DInference.forward` with `.maxOverWidth`: input [N, H, W, 1], weight
    /// [kh, kw, 1, C] → [N, Ho, C]. `parameters` holds bias, scale and shift, C each.
    static func forward(input: Tensor, weight: Tensor, parameters: UnsafePointer<Float>, relu: Bool,
                        geometry g: WindowGeometry, threads: Int) -> Tensor {
        isWide(g, width: input.shape[2])
            ? alongWidth(input: input, weight: weight, parameters: parameters, relu: relu, geometry: g, threads: threads)
            : alongHeight(input: input, weight: weight, parameters: parameters, relu: relu, geometry: g, threads: threads)
    }

    /// [inputs, 2·bins]: column ω is cos(2πωn/N), column bins + ω is −sin(2πωn/N) for sample n at
    /// `offset` + its row, so a row of samples times it is the spectrum of the signal with `offset`
    /// zeros before them.
    static func forwardDFT(inputs: Int, length: Int, offset: Int = 0) -> [Float] {
        let bins = length / 2 + 1
        // Every angle is a multiple of 2π/N: one table of N cosines and sines serves the whole matrix.
        let angles = (0..<length).map { 2 * Double.pi * Double($0) / Double(length) }
        let (cosines, sines) = (angles.map { Float(cos($0)) }, angles.map { Float(-sin($0)) })
        var matrix = [Float](repeating: 0, count: inputs * 2 * bins)
        for sample in 0..<inputs {
            for bin in 0..<bins {
                let turn = (offset + sample) * bin % length
                matrix[sample * 2 * bins + bin] = cosines[turn]
                matrix[sample * 2 * bins + bins + bin] = sines[turn]
            }
        }
        return matrix
    }
}

/// The kernels' spectra, laid out for the product: per block of eight channels, per bin, per tap,
/// three vectors (real part, imaginary part, negated imaginary part) of conj(DFT(kernel row)) / N —
/// the conjugate turns the product into a correlation, 1/N normalises the inverse FFT.
struct KernelSpectra {
    let values: [SIMD8<Float>]

    init(weight: Tensor, length: Int) {
        let (taps, kernelWidth, channels) = (weight.shape[0], weight.shape[1], weight.shape[3])
        let bins = length / 2 + 1
        let blocks = (channels + 7) / 8
        let transform = SpectralConvolution.forwardDFT(inputs: kernelWidth, length: length)
        // [taps, channels, 2·bins]: each tap's [kw, C] slice, transposed, times the DFT.
        var spectra = [Float](repeating: 0, count: taps * channels * 2 * bins)
        weight.values.withUnsafeBufferPointer { weight in
            spectra.withUnsafeMutableBufferPointer { spectra in
                for tap in 0..<taps {
                    gemm(channels, 2 * bins, kernelWidth, weight.baseAddress! + tap * kernelWidth * channels, transposeA: true,
                         transform, spectra.baseAddress! + tap * channels * 2 * bins)
                }
            }
        }
        let scale = 1 / Float(length)
        var values = [SIMD8<Float>](repeating: .zero, count: blocks * bins * taps * 3)
        for block in 0..<blocks {
            for bin in 0..<bins {
                for tap in 0..<taps {
                    let slot = ((block * bins + bin) * taps + tap) * 3
                    for lane in 0..<8 where block * 8 + lane < channels {
                        let row = (tap * channels + block * 8 + lane) * 2 * bins
                        values[slot][lane] = spectra[row + bin] * scale
                        values[slot + 1][lane] = -spectra[row + bins + bin] * scale
                        values[slot + 2][lane] = spectra[row + bins + bin] * scale
                    }
                }
            }
        }
        self.values = values
    }
}

/// Bias, activation and affine for one block of eight channels, applied to the extremes of a row.
struct LaneEpilogue {
    let bias, scale, shift: SIMD8<Float>
    let negativeScale: SIMDMask<SIMD8<Int32>>
    let floor: SIMD8<Float>
    let lanes: Int

    init(parameters: UnsafePointer<Float>, channels: Int, block: Int, relu: Bool) {
        let lanes = min(8, channels - block * 8)
        func load(_ offset: Int) -> SIMD8<Float> {
            var vector = SIMD8<Float>()
            for lane in 0..<lanes { vector[lane] = parameters[offset + block * 8 + lane] }
            return vector
        }
        self.lanes = lanes
        (bias, scale, shift) = (load(0), load(channels), load(2 * channels))
        negativeScale = scale .< 0
        floor = SIMD8(repeating: relu ? 0 : -.infinity)
    }

    @inline(__always)
    func write(largest: SIMD8<Float>, smallest: SIMD8<Float>, to row: UnsafeMutablePointer<Float>) {
        var value = largest.replacing(with: smallest, where: negativeScale) + bias
        value.replace(with: floor, where: value .< floor)
        value = value * scale + shift
        if lanes == 8 {
            UnsafeMutableRawPointer(row).storeBytes(of: value, toByteOffset: 0, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<lanes { row[lane] = value[lane] }
        }
    }
}
