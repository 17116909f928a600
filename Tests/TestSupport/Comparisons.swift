// The `.npy` reader lives in ModelCore; tests that read fixtures get it through TestSupport.
@_exported import struct ModelCore.NumpyArray

/// An array named in a fixture manifest (manifest.json beside the .npy files).
public struct FixtureArray: Decodable, Sendable {
    public let file: String
    public let shape: [Int]
}

/// Largest |a−b| relative to the largest |b|: a scale-aware error for linear quantities.
public func maxRelativeToPeak(_ actual: [Float], _ expected: [Float]) -> Double {
    precondition(actual.count == expected.count, "\(actual.count) values vs \(expected.count)")
    let peak = expected.reduce(0.0) { max($0, Double(abs($1))) }
    var worst = 0.0
    for index in actual.indices { worst = max(worst, Double(abs(actual[index] - expected[index]))) }
    return peak > 0 ? worst / peak : worst
}

/// Largest |a−b| / max(|b|, floor): elementwise relative error.
public func maxRelativeError(_ actual: [Float], _ expected: [Float], floor: Double) -> Double {
    precondition(actual.count == expected.count, "\(actual.count) values vs \(expected.count)")
    var worst = 0.0
    for index in actual.indices {
        let scale = max(Double(abs(expected[index])), floor)
        worst = max(worst, Double(abs(actual[index] - expected[index])) / scale)
    }
    return worst
}
