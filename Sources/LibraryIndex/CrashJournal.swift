import AudioIO
import CCrashJournal
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Remembers, across runs, which file was being decoded when the process crashed.
///
/// A decoder bug (a segmentation fault in a codec on a damaged file) would otherwise kill
/// every run at the same file. A signal handler writes the crashing thread's file to a
/// journal beside the index; the next run marks that file failed and goes on. A process
/// killed from outside (kill -9, power loss) leaves no entry, so nothing is blamed wrongly.
struct CrashJournal {
    let path: String

    init(indexPath: String) { path = indexPath + "-crashes" }

    /// Files named by crashes since the last run; the journal is emptied.
    func takeRecordedCrashes() -> Set<PathBytes> {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var crashed = Set<PathBytes>()
        var offset = 0
        let bytes = [UInt8](data)
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += 4
            guard offset + length <= bytes.count else { break }
            crashed.insert(PathBytes(bytes: Array(bytes[offset..<(offset + length)])))
            offset += length
        }
        try? FileManager.default.removeItem(atPath: path)
        return crashed
    }

    /// Starts recording crashes of this process into the journal.
    func install() {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        crash_journal_install(descriptor)
    }

    /// Runs `body` with the calling thread marked as working on `file`.
    static func working<T>(on file: PathBytes, _ body: () -> T) -> T {
        file.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { crash_journal_begin($0.baseAddress, $0.count) }
        }
        defer { crash_journal_end() }
        return body()
    }
}
