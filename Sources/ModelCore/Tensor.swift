/// A contiguous float32 array with a shape, row-major (the last axis varies fastest).
///
/// Activations are channels-last: [batch, length, channels] for sequences and
/// [batch, height, width, channels] for images, so that a convolution is one matrix
/// product whose rows are output positions.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { values.count }
    public var rank: Int { shape.count }

    /// The same values under another shape of equal size.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, values: values)
    }

    public static func random(_ shape: [Int], using generator: inout SeededRandom, scale: Float = 1) -> Tensor {
        Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.normal() * scale })
    }
}

/// A reproducible random source: SplitMix64 with Box–Muller normals. (The system generator
/// makes a system call per number: far too slow for weights or test data.)
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spareNormal: Float?

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A standard normal sample.
    public mutating func normal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u = max(Double.random(in: 0..<1, using: &self), 1e-300)
        let v = Double.random(in: 0..<1, using: &self)
        let radius = (-2 * _log(u)).squareRoot()
        spareNormal = Float(radius * _sin(2 * Double.pi * v))
        return Float(radius * _cos(2 * Double.pi * v))
    }

    /// Kaiming (He) normal initialisation for a layer with `fanIn` inputs feeding a ReLU.
    public mutating func kaiming(_ shape: [Int], fanIn: Int) -> Tensor {
        Tensor.random(shape, using: &self, scale: Float((2 / Double(fanIn)).squareRoot()))
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#endif
