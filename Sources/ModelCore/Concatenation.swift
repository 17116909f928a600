/// Joining feature maps along the channel (last) axis. Shapes: [..., C_i] → [..., Σ C_i].
public enum Concatenation {
    public static func forward(_ parts: [Tensor]) -> Tensor {
        let leading = Array(parts[0].shape.dropLast())
        precondition(parts.allSatisfy { Array($0.shape.dropLast()) == leading }, "concatenated tensors differ before the last axis")
        let widths = parts.map { $0.shape[$0.rank - 1] }
        let total = widths.reduce(0, +)
        let rows = parts[0].count / widths[0]
        var values = [Float](repeating: 0, count: rows * total)
        var offset = 0
        for (part, width) in zip(parts, widths) {
            for row in 0..<rows {
                for column in 0..<width { values[row * total + offset + column] = part.values[row * width + column] }
            }
            offset += width
        }
        return Tensor(shape: leading + [total], values: values)
    }

    /// The output gradient cut back into the parts' widths.
    public static func backward(outputGradient: Tensor, widths: [Int]) -> [Tensor] {
        let total = widths.reduce(0, +)
        let rows = outputGradient.count / total
        let leading = Array(outputGradient.shape.dropLast())
        var offset = 0
        return widths.map { width in
            var values = [Float](repeating: 0, count: rows * width)
            for row in 0..<rows {
                for column in 0..<width { values[row * width + column] = outputGradient.values[row * total + offset + column] }
            }
            offset += width
            return Tensor(shape: leading + [width], values: values)
        }
    }
}
