import Foundation

/// Runs the built `soundmap` executable, as a person would from a shell.
public enum SoundmapBinary {
    /// `SOUNDMAP_BINARY`, or `soundmap` beside the test bundle in the build folder.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["SOUNDMAP_BINARY"] { return explicit }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("soundmap").path
    }

    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
    }

    /// Runs `soundmap arguments…` to completion.
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 600) throws -> Result {
        let scratch = TemporaryDirectory(prefix: "soundmap-run")
        let process = try start(arguments, environment: environment, output: scratch.file("out"), error: scratch.file("err"))
        let status = process.wait(timeout: timeout) ?? {
            process.stop()
            return -1
        }()
        return Result(status: status,
                      output: (try? String(contentsOfFile: scratch.file("out"), encoding: .utf8)) ?? "",
                      error: (try? String(contentsOfFile: scratch.file("err"), encoding: .utf8)) ?? "")
    }

    /// Starts `soundmap arguments…` in the background.
    public static func start(_ arguments: [String], environment: [String: String] = [:], output: String = "/dev/null",
                             error: String = "/dev/null") throws -> ChildProcess {
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        return try ChildProcess(path, arguments, environment: variables, standardOutput: output, standardError: error)
    }
}
