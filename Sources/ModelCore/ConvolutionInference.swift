import COpenBLAS

/// What follows a convolution in an inference graph, applied to each block of outputs while the
/// block is still in cache instead of in separate passes over a large activation.
public struct ConvolutionEpilogue: Sendable {
    public enum Pooling: Sendable, Equatable {
        case none
        /// Non-overlapping max pooling (stride = window); rows and columns that do not fill a
        /// window are dropped, as TensorFlow's "valid" and PyTorch's default do.
        case max(height: Int, width: Int)
        /// The maximum over the whole output width: [N, Ho, Wo, C] → [N, Ho, C] (musicnn's pooling
        /// over all frequency positions).
        case maxOverWidth
    }

    /// ReLU after the bias.
    public var relu: Bool
    /// A per-channel affine after the activation: a batch norm that follows a ReLU cannot be
    /// folded into the weights, but costs nothing here.
    public var scale: [Float]?
    public var shift: [Float]?
    /// Pooling last, so the full-resolution activation is never written out.
    public var pooling: Pooling

    public init(relu: Bool = false, scale: [Float]? = nil, shift: [Float]? = nil, pooling: Pooling = .none) {
        precondition((scale == nil) == (shift == nil), "an affine needs both scale and shift")
        self.relu = relu
        self.scale = scale
        self.shift = shift
        self.pooling = pooling
    }

    /// ReLU followed by `norm` at inference.
    public static func reluThen(_ norm: BatchNorm, pooling: Pooling = .none) -> ConvolutionEpilogue {
        let (scale, shift) = norm.scaleAndShift
        return ConvolutionEpilogue(relu: true, scale: scale, shift: shift, pooling: pooling)
    }
}

/// 2-D convolution for inference: im2col, sgemm and the epilogue, block by block, on several cores.
///
/// Shapes as `Conv2D.forward`: input [N, H, W, Cin], weight [kh, kw, Cin, Cout], bias [Cout];
/// output [N, Ho, Wo, Cout] before pooling. A block holds as many whole pooling windows as keep its
/// window matrix in L2. With `threads` > 1 the blocks are shared out between threads that each call a
/// single-threaded sgemm: splitting the work above BLAS keeps im2col and the epilogue parallel
/// too, and no BLAS thread spins waiting for work.
public enum Conv2DInference {
    /// Window values per block: 256 KB of floats.
    static let blockValues = 1 << 16

    /// The arithmetic of one call, shared by the threads.
    ///
    /// Work goes in units: `poolHeight` output rows of one image, over the output columns of
    /// `chunkColumns` pooling windows — whole pooling windows, so none straddles two blocks.
    struct Plan {
        let input: Tensor
        let geometry: WindowGeometry
        let columnSeries: ColumnSeries?
        let outHeight, outWidth, outChannels, patch: Int
        let poolHeight, poolWidth, pooledHeight, pooledWidth: Int
        let chunkColumns, chunksPerRow: Int
        let relu: Bool

        /// Output positions (window-matrix rows) per pooling row of a unit, and per unit.
        var chunkWidth: Int { chunkColumns * poolWidth }
        var unitRows: Int { poolHeight * chunkWidth }
        var unitCount: Int { input.shape[0] * pooledHeight * chunksPerRow }

        init(input: Tensor, geometry: WindowGeometry, outChannels: Int, pooling: ConvolutionEpilogue.Pooling, relu: Bool) {
            self.input = input
            self.geometry = geometry
            self.outChannels = outChannels
            self.relu = relu
            columnSeries = ColumnSeries(input, geometry: geometry)
            (outHeight, outWidth) = (geometry.outputHeight(input.shape[1]), geometry.outputWidth(input.shape[2]))
            patch = geometry.kernelHeight * geometry.kernelWidth * input.shape[3]
            (poolHeight, poolWidth) = switch pooling {
            case .none: (1, 1)
            case .max(let height, let width): (height, width)
            case .maxOverWidth: (1, outWidth)
            }
            (pooledHeight, pooledWidth) = (outHeight / poolHeight, outWidth / poolWidth)
            // As few chunks per row as fit a block, all of one size: the threads take blocks in turn,
            // and a short remainder chunk after each full one would leave one thread all the full ones.
            let widest = max(1, min(pooledWidth, blockValues / (patch * poolHeight * poolWidth)))
            chunksPerRow = (pooledWidth + widest - 1) / widest
            chunkColumns = (pooledWidth + chunksPerRow - 1) / chunksPerRow
        }
    }

    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: WindowGeometry,
                               epilogue: ConvolutionEpilogue = ConvolutionEpilogue(), threads: Int = 1) -> Tensor {
        precondition(weight.shape[0] == geometry.kernelHeight && weight.shape[1] == geometry.kernelWidth
                     && weight.shape[2] == input.shape[3], "weight \(weight.shape) does not fit input \(input.shape)")
        let outChannels = weight.shape[3]
        // Without an affine, scale 1 and shift 0: one fused multiply-add is cheaper than a branch.
        let parameters = (bias?.values ?? [Float](repeating: 0, count: outChannels))
            + (epilogue.scale ?? [Float](repeating: 1, count: outChannels))
            + (epilogue.shift ?? [Float](repeating: 0, count: outChannels))
        return parameters.withUnsafeBufferPointer { parameters in
            if SpectralConvolution.handles(input: input, geometry: geometry, pooling: epilogue.pooling) {
                SpectralConvolution.forward(input: input, weight: weight, parameters: parameters.baseAddress!, relu: epilogue.relu,
                                            geometry: geometry, threads: threads)
            } else {
                windowed(input: input, weight: weight, parameters: parameters.baseAddress!, geometry: geometry,
                         epilogue: epilogue, threads: threads)
            }
        }
    }

    /// The convolution as window matrix times weights, for any shape (`forward` may pick another way).
    static func windowed(input: Tensor, weight: Tensor, parameters: UnsafePointer<Float>, geometry: WindowGeometry,
                         epilogue: ConvolutionEpilogue, threads: Int) -> Tensor {
        let outChannels = weight.shape[3]
        let plan = Plan(input: input, geometry: geometry, outChannels: outChannels, pooling: epilogue.pooling, relu: epilogue.relu)
        let unitsPerBlock = max(1, min(plan.unitCount, blockValues / max(1, plan.patch * plan.unitRows)))
        let blockCount = (plan.unitCount + unitsPerBlock - 1) / unitsPerBlock
        var output = Tensor(zeros: epilogue.pooling == .maxOverWidth ? [input.shape[0], plan.outHeight, outChannels]
                                                                      : [input.shape[0], plan.pooledHeight, plan.pooledWidth, outChannels])
        let workers = max(1, min(threads, blockCount))
        withSingleThreadedBLAS(whenWorkers: workers) {
            output.values.withUnsafeMutableBufferPointer { out in
                weight.values.withUnsafeBufferPointer { w in
                    Parallel.run(workers: workers) { worker in
                        var columns = [Float](repeating: 0, count: unitsPerBlock * plan.unitRows * plan.patch)
                        var product = [Float](repeating: 0, count: unitsPerBlock * plan.unitRows * outChannels)
                        for block in stride(from: worker, to: blockCount, by: workers) {
                            let first = block * unitsPerBlock
                            columns.withUnsafeMutableBufferPointer { columns in
                                product.withUnsafeMutableBufferPointer { product in
                                    convolve(units: first..<min(first + unitsPerBlock, plan.unitCount), plan, weight: w.baseAddress!,
                                             parameters: parameters, columns: columns.baseAddress!,
                                             product: product.baseAddress!, output: out.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// One block: the windows of `units`, their product with the weights, and the epilogue into
    /// the output.
    private static func convolve(units: Range<Int>, _ plan: Plan, weight: UnsafePointer<Float>,
                                 parameters: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>,
                                 product: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let channels = plan.outChannels
        let direct = plan.patch <= Conv2D.smallPatch && plan.input.shape[3] == 1
        var local = 0
        for unit in units {
            let (row, chunk) = (unit / plan.chunksPerRow, unit % plan.chunksPerRow)
            let (image, group) = (row / plan.pooledHeight, row % plan.pooledHeight)
            let firstColumn = chunk * plan.chunkWidth
            let width = min(plan.chunkWidth, plan.pooledWidth * plan.poolWidth - firstColumn)
            for poolRow in 0..<plan.poolHeight {
                let first = (image * plan.outHeight + group * plan.poolHeight + poolRow) * plan.outWidth + firstColumn
                let rows = first..<(first + width)
                if direct {
                    singleChannelProduct(rows: rows, of: plan.input, geometry: plan.geometry, weight: weight,
                                         outChannels: channels, into: product + local * channels)
                } else if let series = plan.columnSeries {
                    series.windows(rows: rows, into: columns + local * plan.patch)
                } else {
                    Conv2D.im2col(plan.input, geometry: plan.geometry, rows: rows, into: columns + local * plan.patch)
                }
                local += width
            }
        }
        if !direct {
            if plan.patch <= Conv2D.smallPatch {
                product.update(repeating: 0, count: local * channels)
                Conv2D.smallPatchProduct(local, channels, plan.patch, columns, weight, product)
            } else {
                gemm(local, channels, plan.patch, columns, weight, product)
            }
        }
        applyActivation(rows: local, channels: channels, relu: plan.relu, parameters: parameters, to: product)
        var unitStart = 0
        for unit in units {
            let (row, chunk) = (unit / plan.chunksPerRow, unit % plan.chunksPerRow)
            let firstWindow = chunk * plan.chunkColumns
            let windows = min(plan.chunkColumns, plan.pooledWidth - firstWindow)
            let width = windows * plan.poolWidth
            let target = output + (row * plan.pooledWidth + firstWindow) * channels
            for window in 0..<windows {
                let maximum = target + window * channels
                maximum.update(from: product + (unitStart + window * plan.poolWidth) * channels, count: channels)
                for poolRow in 0..<plan.poolHeight {
                    for offset in 0..<plan.poolWidth where poolRow > 0 || offset > 0 {
                        let values = product + (unitStart + poolRow * width + window * plan.poolWidth + offset) * channels
                        maximumInPlace(maximum, values, channels: channels)
                    }
                }
            }
            unitStart += plan.poolHeight * width
        }
    }

    /// product = scale · max(product + bias, floor) + shift per channel, floor 0 for ReLU; eight
    /// channels per vector operation (the compiler cannot prove the parameters do not alias).
    private static func applyActivation(rows: Int, channels: Int, relu: Bool, parameters: UnsafePointer<Float>,
                                        to product: UnsafeMutablePointer<Float>) {
        let vectorBytes = channels / 8 * 32
        let (bias, scale, shift) = (UnsafeRawPointer(parameters), UnsafeRawPointer(parameters + channels),
                                    UnsafeRawPointer(parameters + 2 * channels))
        let floor: Float = relu ? 0 : -.infinity
        let floors = SIMD8<Float>(repeating: floor)
        for row in 0..<rows {
            let values = product + row * channels
            let raw = UnsafeMutableRawPointer(values)
            for offset in stride(from: 0, to: vectorBytes, by: 32) {
                let value = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    + bias.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                let result = larger(value, floors) * scale.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    + shift.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                raw.storeBytes(of: result, toByteOffset: offset, as: SIMD8<Float>.self)
            }
            for channel in (vectorBytes / 4)..<channels {
                values[channel] = max(values[channel] + parameters[channel], floor) * parameters[channels + channel]
                    + parameters[2 * channels + channel]
            }
        }
    }

    /// maximum = max(maximum, values), channel by channel.
    private static func maximumInPlace(_ maximum: UnsafeMutablePointer<Float>, _ values: UnsafePointer<Float>, channels: Int) {
        let vectorBytes = channels / 8 * 32
        let (target, source) = (UnsafeMutableRawPointer(maximum), UnsafeRawPointer(values))
        for offset in stride(from: 0, to: vectorBytes, by: 32) {
            let larger = larger(target.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
                                      source.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            target.storeBytes(of: larger, toByteOffset: offset, as: SIMD8<Float>.self)
        }
        for channel in (vectorBytes / 4)..<channels { maximum[channel] = max(maximum[channel], values[channel]) }
    }

    /// The lane-wise maximum as one select: the standard library's `pointwiseMax` goes lane by lane.
    @inline(__always)
    private static func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: a .< b)
    }

    /// A small kernel over a one-channel image, straight from the image: each input value is
    /// broadcast into 32 output channels at a time, held in four vector registers across the
    /// taps. Copying nine values per window into a window matrix would cost more than the
    /// arithmetic.
    private static func singleChannelProduct(rows: Range<Int>, of input: Tensor, geometry g: WindowGeometry,
                                             weight: UnsafePointer<Float>, outChannels: Int,
                                             into product: UnsafeMutablePointer<Float>) {
        let (height, width) = (input.shape[1], input.shape[2])
        let taps = g.kernelHeight * g.kernelWidth
        input.values.withUnsafeBufferPointer { image in
            var values = [Float](repeating: 0, count: taps)
            for row in rows {
                let window = g.placement(ofRow: row, height: height, width: width)
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth { values[i * g.kernelWidth + j] = window.pixel(i, j).map { image[$0] } ?? 0 }
                }
                let target = product + (row - rows.lowerBound) * outChannels
                var channel = 0
                while channel + 32 <= outChannels {
                    var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    for tap in 0..<taps {
                        let value = SIMD8<Float>(repeating: values[tap])
                        let kernel = UnsafeRawPointer(weight + tap * outChannels + channel)
                        sums.0 += value * kernel.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
                        sums.1 += value * kernel.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                        sums.2 += value * kernel.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                        sums.3 += value * kernel.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    }
                    let out = UnsafeMutableRawPointer(target + channel)
                    out.storeBytes(of: sums.0, toByteOffset: 0, as: SIMD8<Float>.self)
                    out.storeBytes(of: sums.1, toByteOffset: 32, as: SIMD8<Float>.self)
                    out.storeBytes(of: sums.2, toByteOffset: 64, as: SIMD8<Float>.self)
                    out.storeBytes(of: sums.3, toByteOffset: 96, as: SIMD8<Float>.self)
                    channel += 32
                }
                for rest in channel..<outChannels {
                    var sum: Float = 0
                    for tap in 0..<taps { sum += values[tap] * weight[tap * outChannels + rest] }
                    target[rest] = sum
                }
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
