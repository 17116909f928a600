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
}

/// 2-D convolution over channels-last images by im2col and one sgemm.
///
/// Shapes: input [N, H, W, Cin], weight [kh, kw, Cin, Cout] (TensorFlow's layout, which is
/// already the [K, Cout] matrix im2col needs), bias [Cout], output [N, Ho, Wo, Cout].
/// A 1-D convolution is this with H = 1 and kh = 1.
public enum Conv2D {
    /// output = im2col(input) · weight + bias
    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: WindowGeometry) -> Tensor {
        let (batch, height, width, inChannels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        precondition(weight.shape[0] == geometry.kernelHeight && weight.shape[1] == geometry.kernelWidth
                     && weight.shape[2] == inChannels, "weight \(weight.shape) does not fit input \(input.shape)")
        let outChannels = weight.shape[3]
        let (outHeight, outWidth) = (geometry.outputHeight(height), geometry.outputWidth(width))
        let rows = batch * outHeight * outWidth
        let patch = geometry.kernelHeight * geometry.kernelWidth * inChannels
        let columns = im2col(input, geometry: geometry)
        var output = Tensor(zeros: [batch, outHeight, outWidth, outChannels])
        output.values.withUnsafeMutableBufferPointer { out in
            if let bias {
                for row in 0..<rows {
                    for channel in 0..<outChannels { out[row * outChannels + channel] = bias.values[channel] }
                }
            }
            columns.withUnsafeBufferPointer { cols in
                weight.values.withUnsafeBufferPointer { w in
                    gemm(rows, outChannels, patch, cols.baseAddress!, w.baseAddress!, out.baseAddress!, beta: bias == nil ? 0 : 1)
                }
            }
        }
        return output
    }

    /// dWeight = im2col(input)ᵀ · dOutput, dBias = Σ dOutput, dInput = col2im(dOutput · weightᵀ).
    public static func backward(outputGradient: Tensor, input: Tensor, weight: Tensor, geometry: WindowGeometry)
        -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let outChannels = weight.shape[3]
        let rows = outputGradient.count / outChannels
        let patch = weight.count / outChannels
        let columns = im2col(input, geometry: geometry)
        var weightGradient = Tensor(zeros: weight.shape)
        var columnGradient = [Float](repeating: 0, count: rows * patch)
        outputGradient.values.withUnsafeBufferPointer { dOut in
            columns.withUnsafeBufferPointer { cols in
                weightGradient.values.withUnsafeMutableBufferPointer { dW in
                    gemm(patch, outChannels, rows, cols.baseAddress!, transposeA: true, dOut.baseAddress!, dW.baseAddress!)
                }
            }
            weight.values.withUnsafeBufferPointer { w in
                columnGradient.withUnsafeMutableBufferPointer { dCols in
                    gemm(rows, patch, outChannels, dOut.baseAddress!, w.baseAddress!, transposeB: true, dCols.baseAddress!)
                }
            }
        }
        var biasGradient = Tensor(zeros: [outChannels])
        for row in 0..<rows {
            for channel in 0..<outChannels { biasGradient.values[channel] += outputGradient.values[row * outChannels + channel] }
        }
        let inputGradient = col2im(columnGradient, shape: input.shape, geometry: geometry)
        return (inputGradient, weightGradient, biasGradient)
    }

    /// [N·Ho·Wo, kh·kw·Cin]: each row the window of one output position, zeros in the padding.
    static func im2col(_ input: Tensor, geometry g: WindowGeometry) -> [Float] {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outHeight, outWidth) = (g.outputHeight(height), g.outputWidth(width))
        let patch = g.kernelHeight * g.kernelWidth * channels
        var columns = [Float](repeating: 0, count: batch * outHeight * outWidth * patch)
        input.values.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { target in
                var row = 0
                for n in 0..<batch {
                    for oh in 0..<outHeight {
                        for ow in 0..<outWidth {
                            var offset = row * patch
                            for i in 0..<g.kernelHeight {
                                let h = oh * g.strideHeight - g.padTop + i * g.dilationHeight
                                for j in 0..<g.kernelWidth {
                                    let w = ow * g.strideWidth - g.padLeft + j * g.dilationWidth
                                    if h >= 0 && h < height && w >= 0 && w < width {
                                        let base = ((n * height + h) * width + w) * channels
                                        for c in 0..<channels { target[offset + c] = source[base + c] }
                                    }
                                    offset += channels
                                }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        return columns
    }

    /// The adjoint of im2col: window gradients summed back onto the input positions.
    static func col2im(_ columns: [Float], shape: [Int], geometry g: WindowGeometry) -> Tensor {
        let (batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        let (outHeight, outWidth) = (g.outputHeight(height), g.outputWidth(width))
        let patch = g.kernelHeight * g.kernelWidth * channels
        var result = Tensor(zeros: shape)
        result.values.withUnsafeMutableBufferPointer { target in
            columns.withUnsafeBufferPointer { source in
                var row = 0
                for n in 0..<batch {
                    for oh in 0..<outHeight {
                        for ow in 0..<outWidth {
                            var offset = row * patch
                            for i in 0..<g.kernelHeight {
                                let h = oh * g.strideHeight - g.padTop + i * g.dilationHeight
                                for j in 0..<g.kernelWidth {
                                    let w = ow * g.strideWidth - g.padLeft + j * g.dilationWidth
                                    if h >= 0 && h < height && w >= 0 && w < width {
                                        let base = ((n * height + h) * width + w) * channels
                                        for c in 0..<channels { target[base + c] += source[offset + c] }
                                    }
                                    offset += channels
                                }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        return result
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
