import Foundation

/// Reads the `.npy` files the fixture scripts write (float32, little-endian, C order).
public struct NumpyArray {
    public let shape: [Int]
    public let values: [Float]

    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else {
            throw FixtureError.malformed(url.lastPathComponent, "not an npy file")
        }
        let major = data[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        } else {
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        }
        let header = String(decoding: data[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("'fortran_order': False") else {
            throw FixtureError.malformed(url.lastPathComponent, "expected little-endian float32 in C order: \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw FixtureError.malformed(url.lastPathComponent, "no shape")
        }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let body = data[(headerStart + headerLength)...]
        values = body.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
        guard values.count == shape.reduce(1, *) else {
            throw FixtureError.malformed(url.lastPathComponent, "\(values.count) values for shape \(shape)")
        }
    }
}

public enum FixtureError: Error, CustomStringConvertible {
    case malformed(String, String)
    case missing(String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason): "fixture \(file): \(reason)"
        case .missing(let file): "fixture \(file) is missing"
        }
    }
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
