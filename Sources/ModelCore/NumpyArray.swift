import Foundation

/// Reads `.npy` files of float32 (little-endian, C order): reference fixtures and benchmark inputs
/// written by numpy.
public struct NumpyArray {
    public let shape: [Int]
    public let values: [Float]

    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else {
            throw Failure.malformed(url.lastPathComponent, "not an npy file")
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
            throw Failure.malformed(url.lastPathComponent, "expected little-endian float32 in C order: \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw Failure.malformed(url.lastPathComponent, "no shape")
        }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let body = data[(headerStart + headerLength)...]
        values = body.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
        guard values.count == shape.reduce(1, *) else {
            throw Failure.malformed(url.lastPathComponent, "\(values.count) values for shape \(shape)")
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case malformed(String, String)

        public var description: String {
            switch self {
            case .malformed(let file, let reason): "\(file): \(reason)"
            }
        }
    }
}
