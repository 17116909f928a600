import AudioIO
import CPulseSimple
import Synchronization

public enum PlaybackError: Error, Equatable, CustomStringConvertible {
    case serverUnavailable(reason: String)
    case streamFailed(reason: String)

    public var description: String {
        switch self {
        case .serverUnavailable(let reason):
            "cannot reach a PulseAudio server (\(reason)); is one running? PulseAudio or PipeWire's pulse service must be up, or PULSE_SERVER must name one"
        case .streamFailed(let reason): "playback failed: \(reason)"
        }
    }
}

/// Plays a file, or a stretch of it, through PulseAudio at the file's own rate and channels.
///
/// Reads the file in blocks and writes them to a blocking simple-API stream, so an hour-long
/// file needs no more memory than a clip, and a stop request ends playback within a block.
public struct AudioPlayer: Sendable {
    /// A server address (`unix:/path/native`), or nil for the default (PULSE_SERVER or the session's).
    public var server: String?
    public var applicationName = "Soundmap"

    public init(server: String? = nil) { self.server = server }

    /// Plays `duration` seconds from `start` (to the end when nil); returns the seconds played.
    @discardableResult
    public func play(_ path: PathBytes, start: Double = 0, duration: Double? = nil, title: String? = nil,
                     stop: StopSignal = StopSignal()) throws -> Double {
        let file = try SoundFile(path: path)
        let info = file.info
        if start > 0 { try file.seek(toFrame: Int64(start * Double(info.sampleRate))) }
        var spec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: UInt32(info.sampleRate), channels: UInt8(min(info.channels, 32)))
        var error: Int32 = 0
        let stream = pa_simple_new(server, applicationName, PA_STREAM_PLAYBACK, nil, title ?? path.description, &spec, nil, nil, &error)
        guard let stream else { throw PlaybackError.serverUnavailable(reason: String(cString: pa_strerror(error))) }
        defer { pa_simple_free(stream) }

        let blockFrames = info.sampleRate / 10
        var buffer = [Float](repeating: 0, count: blockFrames * info.channels)
        let limit = duration.map { Int64($0 * Double(info.sampleRate)) } ?? Int64.max
        var played: Int64 = 0
        while played < limit && !stop.isStopped {
            let wanted = Int(min(Int64(blockFrames), limit - played))
            let frames = buffer.withUnsafeMutableBufferPointer { file.read(into: $0.baseAddress!, frames: wanted) }
            if frames <= 0 { break }
            let status = buffer.withUnsafeBytes { pa_simple_write(stream, $0.baseAddress, frames * info.channels * 4, &error) }
            guard status >= 0 else { throw PlaybackError.streamFailed(reason: String(cString: pa_strerror(error))) }
            played += Int64(frames)
        }
        if stop.isStopped {
            pa_simple_flush(stream, &error)
        } else if pa_simple_drain(stream, &error) < 0 {
            throw PlaybackError.streamFailed(reason: String(cString: pa_strerror(error)))
        }
        return Double(played) / Double(info.sampleRate)
    }
}

/// Tells a playing stream to stop, from another thread or a signal handler's queue.
public final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)
    public init() {}
    public func stop() { stopped.store(true, ordering: .relaxed) }
    public var isStopped: Bool { stopped.load(ordering: .relaxed) }
}
