import AudioIO
#if canImport(Glibc)
import Glibc
#endif

/// An audio file found on disk.
public struct ScannedFile: Sendable, Hashable {
    public var path: PathBytes
    public var size: Int64
    /// Modification time in seconds since 1970, with nanoseconds.
    public var mtime: Double
}

/// What a walk over the music folders found.
public struct ScanResult: Sendable {
    /// Files libsndfile may decode, sorted by path, each file once even if reachable by several links.
    public var audioFiles: [ScannedFile] = []
    /// Audio in formats libsndfile cannot read (AAC, WMA, …), with the format's name.
    public var unsupported: [(path: PathBytes, format: String)] = []
    /// Folders or links that could not be followed, and why.
    public var problems: [(path: PathBytes, reason: String)] = []
}

/// Walks music folders: follows symbolic links without looping, skips hidden entries
/// and files that are not audio, and keeps file names as raw bytes.
public enum FileScanner {
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Each root must be an existing folder or audio file; roots are resolved to absolute paths.
    public static func scan(roots: [PathBytes]) throws -> ScanResult {
        var result = ScanResult()
        var visitedFolders = Set<FileIdentity>()
        var seenFiles = Set<FileIdentity>()
        for root in roots {
            guard let resolved = root.resolved(), let info = status(of: resolved) else {
                throw IndexError.rootMissing(root.description)
            }
            if isDirectory(info) {
                walk(resolved, visited: &visitedFolders, seen: &seenFiles, into: &result)
            } else {
                consider(resolved, info: info, seen: &seenFiles, into: &result)
            }
        }
        result.audioFiles.sort { $0.path < $1.path }
        return result
    }

    private static func walk(_ root: PathBytes, visited: inout Set<FileIdentity>, seen: inout Set<FileIdentity>,
                             into result: inout ScanResult) {
        var pending = [root]
        while let folder = pending.popLast() {
            guard let info = status(of: folder) else { continue }
            guard visited.insert(identity(info)).inserted else { continue }
            guard let stream = folder.withCString({ opendir($0) }) else {
                result.problems.append((folder, "cannot open folder: \(String(cString: strerror(errno)))"))
                continue
            }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = entryName(entry)
                guard let first = name.first, first != UInt8(ascii: ".") else { continue }
                let path = folder.appending(component: name)
                guard let entryInfo = status(of: path) else {
                    result.problems.append((path, "broken symbolic link or vanished file"))
                    continue
                }
                if isDirectory(entryInfo) {
                    pending.append(path)
                } else {
                    consider(path, info: entryInfo, seen: &seen, into: &result)
                }
            }
        }
    }

    private static func consider(_ path: PathBytes, info: stat, seen: inout Set<FileIdentity>, into result: inout ScanResult) {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return }
        switch AudioFileTypes.kind(of: path) {
        case .notAudio:
            return
        case .unsupported(let format):
            result.unsupported.append((path, format))
        case .supported:
            guard seen.insert(identity(info)).inserted else { return }
            let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            result.audioFiles.append(ScannedFile(path: path, size: Int64(info.st_size), mtime: mtime))
        }
    }

    /// `stat` (following links), or nil when the path cannot be reached.
    static func status(of path: PathBytes) -> stat? {
        var info = stat()
        let code = path.withCString { stat($0, &info) }
        return code == 0 ? info : nil
    }

    private static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    private static func identity(_ info: stat) -> FileIdentity {
        FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
        withUnsafeBytes(of: &entry.pointee.d_name) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let length = bytes.firstIndex(of: 0) ?? bytes.count
            return Array(bytes[0..<length])
        }
    }
}
