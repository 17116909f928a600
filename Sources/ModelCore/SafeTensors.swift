import Foundation

/// A model file in the safetensors format: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
///
/// numpy, PyTorch and others read these files, so Soundmap's weights are open to any tool.
/// String metadata (architecture, front end, tags, provenance, licence) rides in the header's
/// `__metadata__` entry.
public struct SafeTensors: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case truncated(String)
        case badHeader(String)
        case unsupportedType(name: String, dtype: String)
        case missingTensor(String)

        public var description: String {
            switch self {
            case .truncated(let detail): "model file is truncated: \(detail)"
            case .badHeader(let detail): "model file header is not valid: \(detail)"
            case .unsupportedType(let name, let dtype): "tensor \(name) has type \(dtype); only F32 is supported"
            case .missingTensor(let name): "model file has no tensor \(name)"
            }
        }
    }

    /// Reads a whole file in one read.
    public init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url, options: .alwaysMapped))
    }

    public init(data: Data) throws {
        guard data.count >= 8 else { throw Failure.truncated("\(data.count) bytes") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw Failure.truncated("header of \(headerLength) bytes") }
        let headerEnd = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) as? [String: Any] else {
            throw Failure.badHeader("not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, entry) in header {
            if name == "__metadata__" {
                metadata = (entry as? [String: String]) ?? [:]
                continue
            }
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2 else {
                throw Failure.badHeader("entry \(name)")
            }
            guard dtype == "F32" else { throw Failure.unsupportedType(name: name, dtype: dtype) }
            let (begin, end) = (headerEnd + offsets[0], headerEnd + offsets[1])
            guard begin <= end, end <= data.count, end - begin == shape.reduce(1, *) * 4 else {
                throw Failure.truncated("tensor \(name) at \(offsets)")
            }
            var values = [Float](repeating: 0, count: (end - begin) / 4)
            _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0, from: begin..<end) }
            tensors[name] = Tensor(shape: shape, values: values.map { Float(bitPattern: $0.bitPattern.littleEndian) })
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    public func tensor(_ name: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw Failure.missingTensor(name) }
        return tensor
    }

    /// The file's bytes: tensors in name order, each 4-byte aligned after a header padded to 8 bytes.
    public func serialized() throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let size = tensors[name]!.count * 4
            header[name] = ["dtype": "F32", "shape": tensors[name]!.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        headerData.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - headerData.count % 8) % 8))
        var data = Data()
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(headerData)
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        }
        return data
    }

    public func write(to url: URL) throws {
        try serialized().write(to: url, options: .atomic)
    }
}
