import COpenBLAS


/// What follows a convolution in an inference graph, applied to each block of outputs while the
/// block is still in cache instead of in separate passes over a large activation.
public struct ConvolutionEpilogue: Sendable {
    /// ReLU after the bias.
    public var relu: Bool
    /// A per-channel affine after the activation: a batch norm that follows a ReLU cannot be
    /// folded into the weights, but costs nothing here.
    public var scale: [Float]?
    public var shift: [Float]?
    /// Keep only the maximum over the output width: [N, Ho, Wo, C] → [N, Ho, C] (musicnn's pooling
    /// over all frequency positions), so the full activation is never written.
    public var maxOverWidth: Bool

    public init(relu: Bool = false, scale: [Float]? = nil, shift: [Float]? = nil, maxOverWidth: Bool = false) {
        precondition((scale == nil) == (shift == nil), "an affine needs both scale and shift")
        self.relu = relu
        self.scale = scale
        self.shift = shift
        self.maxOverWidth = maxOverWidth
    }

    /// ReLU followed by `norm` at inference.
    public static func reluThen(_ norm: BatchNorm, maxOverWidth: Bool = false) -> ConvolutionEpilogue {
        let (scale, shift) = norm.scaleAndShift
        return ConvolutionEpilogue(relu: true, scale: scale, shift: shift, maxOverWidth: maxOverWidth)
    }
}

/// 2-D convolution for inference: im2col, sgemm and the epilogue, block by block, on several cores.
///
/// Shapes as `Conv2D.forward`: input [N, H, W, Cin], weight [kh, kw, Cin, Cout], bias [Cout];
/// output [N, Ho, Wo, Cout], or [N, Ho, Cout] with `maxOverWidth`. A block is a few whole output
/// rows (so a row's maximum is taken within one block) sized to keep its window matrix in L2.
/// With `threads` > 1 the blocks are shared out between threads that each call a single-threaded
/// sgemm: splitting the work above BLAS keeps im2col and the epilogue parallel too, and no BLAS
/// thread spins waiting for work.
public enum Conv2DInference {
    /// Window values per block: 256 KB of floats.
    static let blockValues = 1 << 16

    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: WindowGeometry,
                               epilogue: ConvolutionEpilogue = ConvolutionEpilogue(), threads: Int = 1) -> Tensor {
        let (batch, height, width, inChannels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        precondition(weight.shape[0] == geometry.kernelHeight && weight.shape[1] == geometry.kernelWidth
                     && weight.shape[2] == inChannels, "weight \(weight.shape) does not fit input \(input.shape)")
        let outChannels = weight.shape[3]
        let (outHeight, outWidth) = (geometry.outputHeight(height), geometry.outputWidth(width))
        let patch = geometry.kernelHeight * geometry.kernelWidth * inChannels
        let imageRows = batch * outHeight
        let imageRowsPerBlock = min(imageRows, max(1, blockValues / (patch * outWidth)))
        let blockCount = (imageRows + imageRowsPerBlock - 1) / imageRowsPerBlock
        var output = Tensor(zeros: epilogue.maxOverWidth ? [batch, outHeight, outChannels] : [batch, outHeight, outWidth, outChannels])
        let workers = max(1, min(threads, blockCount))
        let previousBLASThreads = openblas_get_num_threads()
        if workers > 1 { openblas_set_num_threads(1) }
        defer { if workers > 1 { openblas_set_num_threads(previousBLASThreads) } }

        // Without an affine, scale 1 and shift 0: one fused multiply-add is cheaper than a branch.
        let parameters = (bias?.values ?? [Float](repeating: 0, count: outChannels))
            + (epilogue.scale ?? [Float](repeating: 1, count: outChannels))
            + (epilogue.shift ?? [Float](repeating: 0, count: outChannels))
        let columnSeries = ColumnSeries(input, geometry: geometry)
        output.values.withUnsafeMutableBufferPointer { out in
            weight.values.withUnsafeBufferPointer { w in
                parameters.withUnsafeBufferPointer { parameters in
                    Parallel.run(workers: workers) { worker in
                        var columns = [Float](repeating: 0, count: imageRowsPerBlock * outWidth * patch)
                        var product = [Float](repeating: 0, count: imageRowsPerBlock * outWidth * outChannels)
                        for block in stride(from: worker, to: blockCount, by: workers) {
                            let firstImageRow = block * imageRowsPerBlock
                            let rows = firstImageRow..<min(firstImageRow + imageRowsPerBlock, imageRows)
                            columns.withUnsafeMutableBufferPointer { columns in
                                product.withUnsafeMutableBufferPointer { product in
                                    convolve(imageRows: rows, of: input, columnSeries: columnSeries, geometry: geometry, weight: w.baseAddress!,
                                             outChannels: outChannels, parameters: parameters.baseAddress!,
                                             epilogue: epilogue, columns: columns.baseAddress!, product: product.baseAddress!,
                                             output: out.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// One block: the windows of output rows `imageRows` (each `Wo` positions), their product
    /// with the weights, and the epilogue into the output.
    private static func convolve(imageRows: Range<Int>, of input: Tensor, columnSeries: ColumnSeries?, geometry: WindowGeometry,
                                 weight: UnsafePointer<Float>, outChannels: Int, parameters: UnsafePointer<Float>,
                                 epilogue: ConvolutionEpilogue, columns: UnsafeMutablePointer<Float>,
                                 product: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let outWidth = geometry.outputWidth(input.shape[2])
        let patch = geometry.kernelHeight * geometry.kernelWidth * input.shape[3]
        let rows = (imageRows.lowerBound * outWidth)..<(imageRows.upperBound * outWidth)
        if let columnSeries {
            columnSeries.windows(rows: rows, into: columns)
        } else {
            Conv2D.im2col(input, geometry: geometry, rows: rows, into: columns)
        }
        if patch <= Conv2D.smallPatch {
            product.update(repeating: 0, count: rows.count * outChannels)
            Conv2D.smallPatchProduct(rows.count, outChannels, patch, columns, weight, product)
        } else {
            gemm(rows.count, outChannels, patch, columns, weight, product)
        }
        let target = output + (epilogue.maxOverWidth ? imageRows.lowerBound : rows.lowerBound) * outChannels
        applyEpilogue(product, imageRows: imageRows.count, width: outWidth, channels: outChannels, bias: parameters,
                      relu: epilogue.relu, scale: parameters + outChannels, shift: parameters + 2 * outChannels,
                      maxOverWidth: epilogue.maxOverWidth, into: target)
    }

    /// Bias, ReLU, affine and the optional row maximum, from the block's product to the output.
    private static func applyEpilogue(_ product: UnsafeMutablePointer<Float>, imageRows: Int, width: Int, channels: Int,
                                      bias: UnsafePointer<Float>, relu: Bool, scale: UnsafePointer<Float>,
                                      shift: UnsafePointer<Float>, maxOverWidth: Bool, into target: UnsafeMutablePointer<Float>) {
        let floor: Float = relu ? 0 : -.infinity
        for row in 0..<(imageRows * width) {
            let values = product + row * channels
            for channel in 0..<channels {
                values[channel] = max(values[channel] + bias[channel], floor) * scale[channel] + shift[channel]
            }
        }
        guard maxOverWidth else {
            target.update(from: product, count: imageRows * width * channels)
            return
        }
        for imageRow in 0..<imageRows {
            let maximum = target + imageRow * channels
            maximum.update(from: product + imageRow * width * channels, count: channels)
            for column in 1..<max(1, width) {
                let values = product + (imageRow * width + column) * channels
                for channel in 0..<channels { maximum[channel] = max(maximum[channel], values[channel]) }
            }
        }
    }
}

/// A one-channel image stored column by column with its top and bottom padding, for kernels one
/// column wide and many rows tall (musicnn's temporal filters: 128 frames × 1 band).
///
/// In the image, such a window is a strided gather of single values; here it is one contiguous
/// run, so im2col becomes a copy per window.
struct ColumnSeries {
    let series: [Float]
    let paddedHeight: Int
    let kernelHeight: Int
    let outHeight: Int
    let width: Int

    init?(_ input: Tensor, geometry g: WindowGeometry) {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        guard channels == 1, g.kernelWidth == 1, g.kernelHeight > 1, g.strideHeight == 1, g.strideWidth == 1,
              g.dilationHeight == 1, g.padLeft == 0, g.padRight == 0 else { return nil }
        let paddedHeight = height + g.padTop + g.padBottom
        var series = [Float](repeating: 0, count: batch * width * paddedHeight)
        for n in 0..<batch {
            for row in 0..<height {
                for column in 0..<width {
                    series[(n * width + column) * paddedHeight + g.padTop + row] = input.values[(n * height + row) * width + column]
                }
            }
        }
        self.series = series
        self.paddedHeight = paddedHeight
        kernelHeight = g.kernelHeight
        outHeight = g.outputHeight(height)
        self.width = width
    }

    /// Window rows `rows` of the im2col matrix (row = (n, output row, column)).
    func windows(rows: Range<Int>, into target: UnsafeMutablePointer<Float>) {
        series.withUnsafeBufferPointer { series in
            for row in rows {
                let (image, column) = (row / (outHeight * width), row % width)
                let outRow = (row / width) % outHeight
                (target + (row - rows.lowerBound) * kernelHeight)
                    .update(from: series.baseAddress! + (image * width + column) * paddedHeight + outRow, count: kernelHeight)
            }
        }
    }
}
