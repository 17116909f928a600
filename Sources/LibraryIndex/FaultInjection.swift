import AudioIO
import Foundation

/// Lets tests prove that a crashing decoder cannot stall indexing.
///
/// With `SOUNDMAP_FAULT_INJECTION=crash-on:TEXT` in the environment, the process writes
/// through an invalid pointer when it starts on a file whose path contains TEXT, as a buggy
/// codec would. (A raised SIGSEGV would not do: once the runtime's backtracer has handled a
/// raised signal, execution simply resumes.)
enum FaultInjection {
    static let crashMarker: String? = {
        guard let setting = ProcessInfo.processInfo.environment["SOUNDMAP_FAULT_INJECTION"],
              setting.hasPrefix("crash-on:") else { return nil }
        return String(setting.dropFirst("crash-on:".count))
    }()

    static func crashIfRequested(for path: PathBytes) {
        if let marker = crashMarker, path.description.contains(marker) {
            UnsafeMutablePointer<Int>(bitPattern: 16)!.pointee = 0
        }
    }
}
