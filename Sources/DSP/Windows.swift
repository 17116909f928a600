import Foundation

/// Window functions, in the conventions of scipy.signal.get_window.
public enum WindowFunction: String, Sendable, Codable {
    case hann

    /// The periodic window of `length` samples (`fftbins=True` in scipy), as STFTs use.
    public func periodic(length: Int) -> [Float] {
        switch self {
        case .hann:
            return (0..<length).map { n in
                Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length)))
            }
        }
    }
}

/// The Kaiser window evaluated at `x` in [-1, 1] (0 at the centre), shape `beta`.
public func kaiser(_ x: Double, beta: Double) -> Double {
    guard abs(x) <= 1 else { return 0 }
    return besselI0(beta * (1 - x * x).squareRoot()) / besselI0(beta)
}

/// The modified Bessel function of the first kind, order 0, by its power series.
public func besselI0(_ x: Double) -> Double {
    var sum = 1.0
    var term = 1.0
    let quarterSquare = x * x / 4
    var k = 1.0
    while term > sum * 1e-17 {
        term *= quarterSquare / (k * k)
        sum += term
        k += 1
    }
    return sum
}

/// sin(πx)/(πx), 1 at 0.
public func normalizedSinc(_ x: Double) -> Double {
    guard x != 0 else { return 1 }
    let angle = Double.pi * x
    return sin(angle) / angle
}
