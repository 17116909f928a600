import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn, its output sent to files, reaped by us.
///
/// Foundation's `Process` on Linux reaps children from one monitor thread; while that thread
/// waits for a long-running daemon, a second child's exit goes unnoticed and
/// `waitUntilExit` hangs. Test daemons and recorders therefore use this instead.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var reaped = false
    private var status: Int32 = 0

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                standardOutput: String = "/dev/null", standardError: String = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { variables.forEach { free($0) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, executable, &actions, nil, argv, variables)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        pid = child
    }

    deinit { stop() }

    /// Kills the process (if still running) and reaps it.
    public func stop(signal: Int32 = SIGKILL) {
        guard !reaped else { return }
        kill(pid, signal)
        waitpid(pid, &status, 0)
        reaped = true
    }

    /// Waits up to `timeout` seconds for the process to end by itself; returns its exit status, or nil.
    public func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if reaped { return status }
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    public static func which(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
