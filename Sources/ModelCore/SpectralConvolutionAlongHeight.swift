import DSP

extension SpectralConvolution {
    /// Kernels one column wide and many rows tall (musicnn's temporal filters), by FFT along the height.
    ///
    /// Each image column, zero-padded, is transformed once; times a kernel's spectrum (one complex
    /// product per bin) and transformed back, it gives the column's outputs at every row; the
    /// extremes over the columns are kept row by row. For a 128-row kernel over 187 rows, about a
    /// third of the direct arithmetic.
    static func alongHeight(input: Tensor, weight: Tensor, parameters: UnsafePointer<Float>, relu: Bool,
                            geometry g: WindowGeometry, threads: Int) -> Tensor {
        let (batch, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let (taps, channels) = (g.kernelHeight, weight.shape[3])
        let paddedHeight = height + g.padTop + g.padBottom
        let outHeight = paddedHeight - taps + 1
        let fft = InverseRealFFT(length: InverseRealFFT.length(atLeast: paddedHeight))
        let bins = fft.half + 1
        let blocks = (channels + 7) / 8
        // A unit is one image and one block of eight channels: all its columns go through the same
        // kernel spectra, and its extremes stay in cache.
        let units = batch * blocks, workers = max(1, min(threads, units))
        var output = Tensor(zeros: [batch, outHeight, channels])
        withSingleThreadedBLAS(whenWorkers: workers) {
            // The kernel is one row of `taps` values per channel, as KernelSpectra reads it.
            let kernelSpectra = KernelSpectra(weight: weight.reshaped([1, taps, 1, channels]), length: fft.length)
            let columnSpectra = columnSpectra(of: input, padTop: g.padTop, length: fft.length, workers: workers)
            output.values.withUnsafeMutableBufferPointer { out in
                columnSpectra.withUnsafeBufferPointer { columns in
                    kernelSpectra.values.withUnsafeBufferPointer { kernels in
                        Parallel.run(workers: workers) { worker in
                            let spectrum = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 2 * bins)
                            let work = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: fft.length)
                            // Per output row, the largest and the smallest value over the columns so far.
                            let largest = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: outHeight)
                            let smallest = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: outHeight)
                            defer { spectrum.deallocate(); work.deallocate(); largest.deallocate(); smallest.deallocate() }
                            for unit in stride(from: worker, to: units, by: workers) {
                                let (image, block) = (unit / blocks, unit % blocks)
                                let blockKernels = kernels.baseAddress! + block * bins * 3
                                for column in 0..<width {
                                    let samples = columns.baseAddress! + (image * width + column) * 2 * bins
                                    for bin in 0..<bins {
                                        let (xr, xi) = (SIMD8(repeating: samples[bin]), SIMD8(repeating: samples[bins + bin]))
                                        let kernel = blockKernels + bin * 3
                                        // (xr + i·xi)(kr + i·ki), with kernel[2] = −ki.
                                        spectrum[bin] = (xr * kernel[0]).addingProduct(xi, kernel[2])
                                        spectrum[bins + bin] = (xr * kernel[1]).addingProduct(xi, kernel[0])
                                    }
                                    fft.transform(real: spectrum, imaginary: spectrum + bins, work: work)
                                    // Row 2n is in work[n], 2n + 1 in work[M + n].
                                    for row in 0..<outHeight {
                                        let value = work[row % 2 == 0 ? row / 2 : fft.half + row / 2]
                                        if column == 0 {
                                            (largest[row], smallest[row]) = (value, value)
                                        } else {
                                            largest[row].replace(with: value, where: largest[row] .< value)
                                            smallest[row].replace(with: value, where: value .< smallest[row])
                                        }
                                    }
                                }
                                let epilogue = LaneEpilogue(parameters: parameters, channels: channels, block: block, relu: relu)
                                for row in 0..<outHeight {
                                    epilogue.write(largest: largest[row], smallest: smallest[row],
                                                   to: out.baseAddress! + (image * outHeight + row) * channels + block * 8)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Per image, per column, the spectrum (bins real parts, then bins imaginary parts) of the
    /// column with `padTop` zeros before it and zeros after it up to `length`.
    private static func columnSpectra(of input: Tensor, padTop: Int, length: Int, workers: Int) -> [Float] {
        let (batch, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let bins = length / 2 + 1
        let transform = forwardDFT(inputs: height, length: length, offset: padTop)
        var spectra = [Float](repeating: 0, count: batch * width * 2 * bins)
        input.values.withUnsafeBufferPointer { pixels in
            spectra.withUnsafeMutableBufferPointer { spectra in
                Parallel.run(workers: workers) { worker in
                    for image in stride(from: worker, to: batch, by: workers) {
                        // The image [H, W] transposed: a column per row of the product.
                        gemm(width, 2 * bins, height, pixels.baseAddress! + image * height * width, transposeA: true,
                             transform, spectra.baseAddress! + image * width * 2 * bins)
                    }
                }
            }
        }
        return spectra
    }
}
