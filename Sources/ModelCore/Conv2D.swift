/// Geometry of a 2-D convolution or pooling window over a channels-last image.
public struct WindowGeometry: Sendable, Equatable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight = 1
    public var strideWidth = 1
    public var dilationHeight = 1
    public var dilationWidth = 1
    public var padTop = 0
    public var padBottom = 0
    public var padLeft = 0
    public var padRight = 0

    public init(kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                dilationHeight: Int = 1, dilationWidth: Int = 1,
                padTop: Int = 0, padBottom: Int = 0, padLeft: Int = 0, padRight: Int = 0) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.padTop = padTop
        self.padBottom = padBottom
        self.padLeft = padLeft
        self.padRight = padRight
    }

    /// TensorFlow's "same" padding for an input of `height` × `width`: the output covers
    /// ⌈input/stride⌉ positions, and an odd total goes after ((k−1)/2 before, the rest after).
    public static func same(kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                            height: Int, width: Int) -> WindowGeometry {
        func padding(_ size: Int, _ kernel: Int, _ stride: Int) -> (Int, Int) {
            let output = (size + stride - 1) / stride
            let total = max(0, (output - 1) * stride + kernel - size)
            return (total / 2, total - total / 2)
        }
        let (top, bottom) = padding(height, kernelHeight, strideHeight)
        let (left, right) = padding(width, kernelWidth, strideWidth)
        return WindowGeometry(kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: strideHeight,
                              strideWidth: strideWidth, padTop: top, padBottom: bottom, padLeft: left, padRight: right)
    }

    public func outputHeight(_ height: Int) -> Int {
        (height + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1
    }

    public func outputWidth(_ width: Int) -> Int {
        (width + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1
    }

    /// Where the window of output position `row` (n, oh, ow flattened) lies in an input of
    /// `height` × `width`.
    func placement(ofRow row: Int, height: Int, width: Int) -> WindowPlacement {
        let (outHeight, outWidth) = (outputHeight(height), outputWidth(width))
        return WindowPlacement(geometry: self, height: height, width: width, image: row / (outHeight * outWidth),
                               top: (row / outWidth) % outHeight * strideHeight - padTop,
                               left: row % outWidth * strideWidth - padLeft)
    }
}

/// One window of a convolution or pooling over one image of a batch.
struct WindowPlacement {
    let geometry: WindowGeometry
    let height, width, image, top, left: Int

    /// The input pixel (n·H·W + h·W + w) under tap (i, j), or nil where the tap is in the padding.
    @inline(__always)
    func pixel(_ i: Int, _ j: Int) -> Int? {
        let (h, w) = (top + i * geometry.dilationHeight, left + j * geometry.dilationWidth)
        guard h >= 0 && h < height && w >= 0 && w < width else { return nil }
        return (image * height + h) * width + w
    }
}

/// 2-D convolution over channels-last images by im2col and one sgemm.
///
/// Shapes: input [N, H, W, Cin], weight [kh, kw, Cin, Cout] (TensorFlow's layout, which is
/// already the [K, Cout] matrix im2col needs), bias [Cout], output [N, Ho, Wo, Cout].
/// A 1-D convolution is this with H = 1 and kh = 1.
public enum Conv2D {
    /// output = im2col(input) · weight + bias, computed in blocks of output rows so the
    /// window matrix stays in cache (a whole batch's would take hundreds of megabytes).
    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: WindowGeometry) -> Tensor {
        let (batch, height, width, inChannels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        precondition(weight.shape[0] == geometry.kernelHeight && weight.shape[1] == geometry.kernelWidth
                     && weight.shape[2] == inChannels, "weight \(weight.shape) does not fit input \(input.shape)")
        let outChannels = weight.shape[3]
        let (outHeight, outWidth) = (geometry.outputHeight(height), geometry.outputWidth(width))
        let rows = batch * outHeight * outWidth
        let patch = geometry.kernelHeight * geometry.kernelWidth * inChannels
        let blockRows = max(64, min(rows, (1 << 19) / patch))
        var columns = [Float](repeating: 0, count: blockRows * patch)
        var output = Tensor(zeros: [batch, outHeight, outWidth, outChannels])
        output.values.withUnsafeMutableBufferPointer { out in
            if let bias {
                for row in 0..<rows {
                    for channel in 0..<outChannels { out[row * outChannels + channel] = bias.values[channel] }
                }
            }
            weight.values.withUnsafeBufferPointer { w in
                var first = 0
                while first < rows {
                    let count = min(blockRows, rows - first)
                    columns.withUnsafeMutableBufferPointer { cols in
                        im2col(input, geometry: geometry, rows: first..<(first + count), into: cols.baseAddress!)
                        if patch <= smallPatch {
                            smallPatchProduct(count, outChannels, patch, cols.baseAddress!, w.baseAddress!,
                                              out.baseAddress! + first * outChannels)
                        } else {
                            gemm(count, outChannels, patch, cols.baseAddress!, w.baseAddress!, out.baseAddress! + first * outChannels,
                                 beta: bias == nil ? 0 : 1)
                        }
                    }
                    first += count
                }
            }
        }
        return output
    }

    /// Windows this small (a first layer on one input channel: 3×3 = 9) leave sgemm starved;
    /// accumulating each window value into all output channels at once is several times faster.
    static let smallPatch = 16

    /// out[r, :] += Σ_k cols[r, k] · w[k, :], eight output channels per vector operation.
    static func smallPatchProduct(_ rows: Int, _ outChannels: Int, _ patch: Int, _ cols: UnsafePointer<Float>,
                                  _ weight: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let vectors = outChannels / 8
        let rawWeight = UnsafeRawPointer(weight)
        for row in 0..<rows {
            let window = cols + row * patch
            let target = out + row * outChannels
            let rawTarget = UnsafeMutableRawPointer(target)
            for vector in 0..<vectors {
                let byteOffset = vector * 8 * MemoryLayout<Float>.stride
                var sum = rawTarget.loadUnaligned(fromByteOffset: byteOffset, as: SIMD8<Float>.self)
                for k in 0..<patch {
                    sum += SIMD8(repeating: window[k])
                        * rawWeight.loadUnaligned(fromByteOffset: k * outChannels * MemoryLayout<Float>.stride + byteOffset,
                                                  as: SIMD8<Float>.self)
                }
                rawTarget.storeBytes(of: sum, toByteOffset: byteOffset, as: SIMD8<Float>.self)
            }
            for channel in (vectors * 8)..<outChannels {
                var sum = target[channel]
                for k in 0..<patch { sum += window[k] * weight[k * outChannels + channel] }
                target[channel] = sum
            }
        }
    }

    /// dWeight = im2col(input)ᵀ · dOutput, dBias = Σ dOutput, dInput = col2im(dOutput · weightᵀ),
    /// in blocks of output rows like the forward pass: the window matrix of a whole training batch
    /// would take gigabytes.
    public static func backward(outputGradient: Tensor, input: Tensor, weight: Tensor, geometry: WindowGeometry)
        -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let outChannels = weight.shape[3]
        let rows = outputGradient.count / outChannels
        let patch = weight.count / outChannels
        let blockRows = max(64, min(rows, (1 << 19) / patch))
        var columns = [Float](repeating: 0, count: blockRows * patch)
        var columnGradient = [Float](repeating: 0, count: blockRows * patch)
        var weightGradient = Tensor(zeros: weight.shape)
        var inputGradient = Tensor(zeros: input.shape)
        outputGradient.values.withUnsafeBufferPointer { dOut in
            weight.values.withUnsafeBufferPointer { w in
                weightGradient.values.withUnsafeMutableBufferPointer { dW in
                    var first = 0
                    while first < rows {
                        let count = min(blockRows, rows - first)
                        let block = dOut.baseAddress! + first * outChannels
                        columns.withUnsafeMutableBufferPointer { cols in
                            im2col(input, geometry: geometry, rows: first..<(first + count), into: cols.baseAddress!)
                            gemm(patch, outChannels, count, cols.baseAddress!, transposeA: true, block, dW.baseAddress!,
                                 beta: first == 0 ? 0 : 1)
                        }
                        columnGradient.withUnsafeMutableBufferPointer { dCols in
                            gemm(count, patch, outChannels, block, w.baseAddress!, transposeB: true, dCols.baseAddress!)
                            col2imAdding(dCols.baseAddress!, rows: first..<(first + count), geometry: geometry, into: &inputGradient)
                        }
                        first += count
                    }
                }
            }
        }
        var biasGradient = Tensor(zeros: [outChannels])
        for row in 0..<rows {
            for channel in 0..<outChannels { biasGradient.values[channel] += outputGradient.values[row * outChannels + channel] }
        }
        return (inputGradient, weightGradient, biasGradient)
    }

    /// Rows `rows` of the window matrix [N·Ho·Wo, kh·kw·Cin] (each row the window of one output
    /// position, zeros in the padding), written to `target`.
    static func im2col(_ input: Tensor, geometry g: WindowGeometry, rows: Range<Int>, into target: UnsafeMutablePointer<Float>) {
        let (height, width, channels) = (input.shape[1], input.shape[2], input.shape[3])
        let patch = g.kernelHeight * g.kernelWidth * channels
        input.values.withUnsafeBufferPointer { source in
            for row in rows {
                let window = g.placement(ofRow: row, height: height, width: width)
                var offset = (row - rows.lowerBound) * patch
                let lastColumn = window.left + (g.kernelWidth - 1) * g.dilationWidth
                // Without dilation and away from the left and right edges, a kernel row's window is
                // one contiguous run of kw·C values in the input: copy it at once.
                let contiguous = g.dilationWidth == 1 && window.left >= 0 && lastColumn < width
                for i in 0..<g.kernelHeight {
                    if contiguous {
                        let run = g.kernelWidth * channels
                        if let pixel = window.pixel(i, 0) {
                            (target + offset).update(from: source.baseAddress! + pixel * channels, count: run)
                        } else {
                            (target + offset).update(repeating: 0, count: run)
                        }
                        offset += run
                        continue
                    }
                    for j in 0..<g.kernelWidth {
                        let destination = target + offset
                        if let pixel = window.pixel(i, j) {
                            let origin = source.baseAddress! + pixel * channels
                            // A library copy costs a call; first layers copy one or two values.
                            if channels < 16 {
                                for c in 0..<channels { destination[c] = origin[c] }
                            } else {
                                destination.update(from: origin, count: channels)
                            }
                        } else {
                            for c in 0..<channels { destination[c] = 0 }
                        }
                        offset += channels
                    }
                }
            }
        }
    }

    /// The adjoint of im2col for window rows `rows`: their gradients summed back onto the input
    /// positions of `target`.
    static func col2imAdding(_ columns: UnsafePointer<Float>, rows: Range<Int>, geometry g: WindowGeometry, into target: inout Tensor) {
        let (height, width, channels) = (target.shape[1], target.shape[2], target.shape[3])
        target.values.withUnsafeMutableBufferPointer { target in
            var offset = 0
            for row in rows {
                let window = g.placement(ofRow: row, height: height, width: width)
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth {
                        if let pixel = window.pixel(i, j) {
                            for c in 0..<channels { target[pixel * channels + c] += columns[offset + c] }
                        }
                        offset += channels
                    }
                }
            }
        }
    }
}

/// 1-D convolution over [N, L, Cin] with weight [k, Cin, Cout]: a 2-D convolution of height 1.
public enum Conv1D {
    public static func geometry(kernel: Int, stride: Int = 1, dilation: Int = 1, padBefore: Int = 0, padAfter: Int = 0)
        -> WindowGeometry {
        WindowGeometry(kernelHeight: 1, kernelWidth: kernel, strideWidth: stride, dilationWidth: dilation,
                       padLeft: padBefore, padRight: padAfter)
    }

    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: WindowGeometry) -> Tensor {
        let output = Conv2D.forward(input: sequenceAsImage(input), weight: kernelAsImage(weight), bias: bias, geometry: geometry)
        return output.reshaped([output.shape[0], output.shape[2], output.shape[3]])
    }

    public static func backward(outputGradient: Tensor, input: Tensor, weight: Tensor, geometry: WindowGeometry)
        -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let gradients = Conv2D.backward(outputGradient: sequenceAsImage(outputGradient), input: sequenceAsImage(input),
                                        weight: kernelAsImage(weight), geometry: geometry)
        return (gradients.input.reshaped(input.shape), gradients.weight.reshaped(weight.shape), gradients.bias)
    }

    /// [N, L, C] → [N, 1, L, C].
    static func sequenceAsImage(_ tensor: Tensor) -> Tensor {
        tensor.reshaped([tensor.shape[0], 1, tensor.shape[1], tensor.shape[2]])
    }

    /// [k, Cin, Cout] → [1, k, Cin, Cout].
    static func kernelAsImage(_ tensor: Tensor) -> Tensor {
        tensor.reshaped([1] + tensor.shape)
    }
}
