import DSP

extension SpectralConvolution {
    /// Kernels spanning much of the width (musicnn's timbral filters), by FFT along the width.
    ///
    /// Each image row is transformed once; an output row's spectrum is the sum over the kh rows
    /// under the kernel of row spectrum times kernel spectrum (kh complex products per bin); one
    /// inverse FFT per output row and eight channels gives all its positions, of which the extremes
    /// are kept. For musicnn, about a fifth of the direct arithmetic.
    static func alongWidth(input: Tensor, weight: Tensor, parameters: UnsafePointer<Float>, relu: Bool,
                           geometry g: WindowGeometry, threads: Int) -> Tensor {
        let (batch, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let (taps, kernelWidth, channels) = (g.kernelHeight, g.kernelWidth, weight.shape[3])
        let fft = InverseRealFFT(length: InverseRealFFT.length(atLeast: width))
        let bins = fft.half + 1
        let paddedHeight = height + g.padTop + g.padBottom
        let outHeight = paddedHeight - taps + 1
        let positions = width - kernelWidth + 1
        let blocks = (channels + 7) / 8
        // A unit is one image and one block of eight channels: its kernel spectra stay in L1 while
        // every output row of the image goes by.
        let units = batch * blocks, workers = max(1, min(threads, units))
        var output = Tensor(zeros: [batch, outHeight, channels])
        withSingleThreadedBLAS(whenWorkers: workers) {
            let kernelSpectra = KernelSpectra(weight: weight, length: fft.length)
            let rowSpectra = rowSpectra(of: input, padTop: g.padTop, paddedHeight: paddedHeight, length: fft.length,
                                        workers: workers)
            output.values.withUnsafeMutableBufferPointer { out in
                rowSpectra.withUnsafeBufferPointer { rows in
                    kernelSpectra.values.withUnsafeBufferPointer { kernels in
                        Parallel.run(workers: workers) { worker in
                            let spectra = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: RowQuad.rows * 2 * bins)
                            let work = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: fft.length)
                            defer { spectra.deallocate(); work.deallocate() }
                            for unit in stride(from: worker, to: units, by: workers) {
                                let (image, block) = (unit / blocks, unit % blocks)
                                let epilogue = LaneEpilogue(parameters: parameters, channels: channels, block: block, relu: relu)
                                let imageRows = rows.baseAddress! + image * (paddedHeight + RowQuad.rows) * 2 * bins
                                let blockKernels = kernels.baseAddress! + block * bins * taps * 3
                                for first in stride(from: 0, to: outHeight, by: RowQuad.rows) {
                                    RowQuad.spectra(rows: imageRows + first * 2 * bins, bins: bins, taps: taps,
                                                    kernels: blockKernels, into: spectra)
                                    for row in first..<min(first + RowQuad.rows, outHeight) {
                                        let spectrum = spectra + (row - first) * 2 * bins
                                        fft.transform(real: spectrum, imaginary: spectrum + bins, work: work)
                                        var extremes = Extremes(work[0])
                                        // Position 2n is in work[n], 2n + 1 in work[M + n].
                                        for pair in 0..<(positions / 2) {
                                            extremes.include(work[pair])
                                            extremes.include(work[fft.half + pair])
                                        }
                                        if positions % 2 == 1 { extremes.include(work[positions / 2]) }
                                        epilogue.write(largest: extremes.largest, smallest: extremes.smallest,
                                                       to: out.baseAddress! + (image * outHeight + row) * channels + block * 8)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Per image, `paddedHeight` rows of spectra (bins real parts, then bins imaginary parts), zero
    /// where the padding is, plus `RowQuad.rows` zero rows that the last quad may read.
    private static func rowSpectra(of input: Tensor, padTop: Int, paddedHeight: Int, length: Int, workers: Int) -> [Float] {
        let (batch, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let bins = length / 2 + 1
        let transform = forwardDFT(inputs: width, length: length)
        let imageStride = (paddedHeight + RowQuad.rows) * 2 * bins
        var spectra = [Float](repeating: 0, count: batch * imageStride)
        input.values.withUnsafeBufferPointer { pixels in
            spectra.withUnsafeMutableBufferPointer { spectra in
                Parallel.run(workers: workers) { worker in
                    for image in stride(from: worker, to: batch, by: workers) {
                        gemm(height, 2 * bins, width, pixels.baseAddress! + image * height * width, transform,
                             spectra.baseAddress! + image * imageStride + padTop * 2 * bins)
                    }
                }
            }
        }
        return spectra
    }
}

/// The spectra of four consecutive output rows for one block of channels, summed over the taps.
///
/// Four rows share each load of a kernel spectrum; their sums (eight vectors) stay in registers
/// across the taps of a bin.
private enum RowQuad {
    static let rows = 4

    /// `rows` points at the first row's spectrum (real bins, then imaginary bins, per row);
    /// `spectra` receives, per output row, the real parts of its bins then the imaginary parts.
    @inline(__always)
    static func spectra(rows: UnsafePointer<Float>, bins: Int, taps: Int, kernels: UnsafePointer<SIMD8<Float>>,
                        into spectra: UnsafeMutablePointer<SIMD8<Float>>) {
        let rowStride = 2 * bins
        for bin in 0..<bins {
            var (r0, i0, r1, i1) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            var (r2, i2, r3, i3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            var kernel = kernels + bin * taps * 3
            var row = rows + bin
            for _ in 0..<taps {
                let (kr, ki, kn) = (kernel[0], kernel[1], kernel[2])
                // (xr + i·xi)(kr + i·ki) = (xr·kr − xi·ki) + i(xr·ki + xi·kr).
                func accumulate(_ real: inout SIMD8<Float>, _ imaginary: inout SIMD8<Float>, _ offset: Int) {
                    let xr = SIMD8(repeating: row[offset]), xi = SIMD8(repeating: row[offset + bins])
                    real = real.addingProduct(xr, kr).addingProduct(xi, kn)
                    imaginary = imaginary.addingProduct(xr, ki).addingProduct(xi, kr)
                }
                accumulate(&r0, &i0, 0)
                accumulate(&r1, &i1, rowStride)
                accumulate(&r2, &i2, 2 * rowStride)
                accumulate(&r3, &i3, 3 * rowStride)
                kernel += 3
                row += rowStride
            }
            (spectra[bin], spectra[bins + bin]) = (r0, i0)
            (spectra[rowStride + bin], spectra[rowStride + bins + bin]) = (r1, i1)
            (spectra[2 * rowStride + bin], spectra[2 * rowStride + bins + bin]) = (r2, i2)
            (spectra[3 * rowStride + bin], spectra[3 * rowStride + bins + bin]) = (r3, i3)
        }
    }
}

/// The largest and smallest value of each lane so far.
private struct Extremes {
    var largest, smallest: SIMD8<Float>

    init(_ first: SIMD8<Float>) {
        (largest, smallest) = (first, first)
    }

    @inline(__always)
    mutating func include(_ value: SIMD8<Float>) {
        largest.replace(with: value, where: largest .< value)
        smallest.replace(with: value, where: value .< smallest)
    }
}
