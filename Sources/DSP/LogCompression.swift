#if canImport(Glibc)
import Glibc
#endif

/// How band energies are compressed before a model sees them.
public enum LogCompression: Sendable, Codable, Equatable {
    /// 10·log10(max(floor, x)): librosa `power_to_db(ref=1.0, amin=floor, top_db=None)`.
    case decibels(floor: Float)
    /// log10(1 + scale·x).
    case log10OnePlus(scale: Float)
    /// log10(1 + scale·x) with x first rounded to half precision, as musicnn's published
    /// front end does (it stores the mel power as float16 before taking the log).
    case log10OnePlusOfHalf(scale: Float)
    /// ln(x + offset).
    case natural(offset: Float)

    @inline(__always)
    public func apply(_ value: Float) -> Float {
        switch self {
        case .decibels(let floor): return 10 * log10f(max(floor, value))
        case .log10OnePlus(let scale): return log10f(1 + scale * value)
        case .log10OnePlusOfHalf(let scale): return log10f(1 + scale * Float(Float16(value)))
        case .natural(let offset): return logf(value + offset)
        }
    }
}

/// librosa's `top_db`: values more than `range` dB below the maximum are raised to that level.
public func clampDynamicRange(_ values: inout [Float], range: Float) {
    guard let peak = values.max() else { return }
    let floor = peak - range
    for index in values.indices where values[index] < floor { values[index] = floor }
}
