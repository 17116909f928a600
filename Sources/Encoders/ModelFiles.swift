import Foundation

/// Where model weights are found: `$SOUNDMAP_MODELS`, then an `assets/models` folder above the
/// running executable (a source build: `.build/…/soundmap`), then `$XDG_DATA_HOME/soundmap/models`.
public enum ModelFiles {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notFound(String, searched: [String])
        public var description: String {
            switch self {
            case .notFound(let name, let searched):
                "model file \(name) not found; looked in: \(searched.joined(separator: ", ")) (set SOUNDMAP_MODELS to its folder)"
            }
        }
    }

    public static func url(for fileName: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let folders = searchFolders(environment: environment)
        for folder in folders {
            let candidate = folder.appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        throw Failure.notFound(fileName, searched: folders.map(\.path))
    }

    static func searchFolders(environment: [String: String]) -> [URL] {
        var folders: [URL] = []
        if let explicit = environment["SOUNDMAP_MODELS"] { folders.append(URL(fileURLWithPath: explicit)) }
        var directory = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(directory.appendingPathComponent("assets/models"))
            directory.deleteLastPathComponent()
        }
        let dataHome = environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/share")
        folders.append(dataHome.appendingPathComponent("soundmap/models"))
        return folders
    }
}
