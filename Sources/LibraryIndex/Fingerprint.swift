import AudioIO
#if canImport(Glibc)
import Glibc
#endif

/// A cheap content fingerprint: the size and three 64 KiB samples (start, middle, end) hashed.
///
/// It recognises a song that was moved or renamed, so its vectors are kept instead of
/// recomputed; reading 192 KiB is nothing next to decoding the file.
public enum Fingerprint {
    static let sampleBytes = 65_536

    public static func of(_ path: PathBytes, size: Int64) throws -> String {
        let descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw AudioError.cannotOpen(path: path.description, reason: String(cString: strerror(errno)).lowercased())
        }
        defer { close(descriptor) }
        var hash = FNV1a()
        withUnsafeBytes(of: size.littleEndian) { hash.add($0) }
        var buffer = [UInt8](repeating: 0, count: sampleBytes)
        let offsets = Set([0, max(0, size / 2 - Int64(sampleBytes) / 2), max(0, size - Int64(sampleBytes))]).sorted()
        for offset in offsets {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, sampleBytes, off_t(offset)) }
            guard count >= 0 else {
                throw AudioError.cannotOpen(path: path.description, reason: String(cString: strerror(errno)).lowercased())
            }
            buffer.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        let value = hash.value
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// 64-bit FNV-1a.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }
}
