#if canImport(Glibc)
import Glibc
#endif

/// A file system path as the kernel sees it: bytes, not necessarily valid UTF-8.
///
/// Linux file names may hold any byte but `/` and NUL. Swift's `String` would replace
/// invalid sequences, so a song named with Latin-1 bytes could never be opened again.
/// Soundmap keeps the bytes end to end and only decodes them for display.
public struct PathBytes: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The path for people: invalid UTF-8 shows as U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the bytes are valid UTF-8, i.e. `description` is lossless.
    public var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    public var isAbsolute: Bool { bytes.first == UInt8(ascii: "/") }

    /// The last path component, as bytes.
    public var lastComponent: [UInt8] {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// The extension after the last dot of the last component, lowercased ASCII.
    public var lowercasedExtension: String {
        let name = lastComponent
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return "" }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }

    public func appending(component: [UInt8]) -> PathBytes {
        if bytes.last == UInt8(ascii: "/") { return PathBytes(bytes: bytes + component) }
        return PathBytes(bytes: bytes + [UInt8(ascii: "/")] + component)
    }

    /// Whether `self` is `directory` itself or lies below it.
    public func isInside(_ directory: PathBytes) -> Bool {
        var prefix = directory.bytes
        if prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        return bytes == directory.bytes || bytes.starts(with: prefix)
    }

    /// Calls `body` with a NUL-terminated C string of the bytes.
    public func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
        return try terminated.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// The absolute, symlink-free form of the path, or nil if it does not exist.
    public func resolved() -> PathBytes? {
        withCString { cPath in
            guard let real = realpath(cPath, nil) else { return nil }
            defer { free(real) }
            let length = strlen(real)
            return PathBytes(bytes: Array(UnsafeBufferPointer(start: UnsafeRawPointer(real).assumingMemoryBound(to: UInt8.self), count: length)))
        }
    }

    public static func < (lhs: PathBytes, rhs: PathBytes) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
