import Foundation

/// A private, headless PulseAudio daemon with one null sink, for playback tests.
///
/// Whatever is played to it can be recorded back from the sink's monitor, which proves that
/// sound really came out. The daemon runs in its own runtime folder and dies with the value.
public final class PulseAudioServer: @unchecked Sendable {
    public static let sinkName = "soundmap_test"
    public let address: String
    private let daemon: ChildProcess
    private let runtime: TemporaryDirectory

    public enum Failure: Error, CustomStringConvertible {
        case notInstalled(String)
        case didNotStart(String)
        public var description: String {
            switch self {
            case .notInstalled(let name): "\(name) is not installed; run scripts/setup.sh --test-deps"
            case .didNotStart(let log): "pulseaudio did not start: \(log)"
            }
        }
    }

    public init() throws {
        guard let executable = ChildProcess.which("pulseaudio") else { throw Failure.notInstalled("pulseaudio") }
        runtime = TemporaryDirectory(prefix: "soundmap-pulse")
        let socket = runtime.file("native")
        address = "unix:" + socket
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtime.path
        environment["HOME"] = runtime.path
        let log = runtime.file("daemon.log")
        daemon = try ChildProcess(executable, [
            "--daemonize=no", "--exit-idle-time=-1", "-n", "--disable-shm=yes",
            "--load=module-null-sink sink_name=\(Self.sinkName) rate=44100 channels=2",
            "--load=module-native-protocol-unix auth-anonymous=1 socket=\(socket)",
        ], environment: environment, standardError: log)
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard FileManager.default.fileExists(atPath: socket) else {
            daemon.stop()
            throw Failure.didNotStart((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")
        }
    }

    deinit { daemon.stop() }

    /// Starts recording the sink's monitor as mono float32 at 44.1 kHz; `stop` returns the samples.
    public func startRecording() throws -> Recording {
        guard let parec = ChildProcess.which("parec") else { throw Failure.notInstalled("parec (pulseaudio-utils)") }
        return try Recording(parec: parec, server: address, output: runtime.file("recording-\(UUID().uuidString).raw"))
    }

    public final class Recording {
        private let process: ChildProcess
        private let output: String

        init(parec: String, server: String, output: String) throws {
            self.output = output
            process = try ChildProcess(parec, ["--server=\(server)", "--device=\(PulseAudioServer.sinkName).monitor",
                                               "--format=float32le", "--rate=44100", "--channels=1", "--raw",
                                               "--latency-msec=20"], standardOutput: output)
            // Give parec time to connect before anything is played.
            Thread.sleep(forTimeInterval: 0.5)
        }

        public func stop() -> [Float] {
            // Let the last buffers arrive, then end the recorder (it ignores SIGTERM while streaming).
            Thread.sleep(forTimeInterval: 0.3)
            process.stop()
            guard let data = FileManager.default.contents(atPath: output) else { return [] }
            var samples = [Float](repeating: 0, count: data.count / 4)
            _ = samples.withUnsafeMutableBytes { data.copyBytes(to: $0) }
            return samples
        }
    }
}
