/// Why a file could not be read as audio, in words a person can act on.
public enum AudioError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unsupportedChannelCount(Int)
    case unsupportedSampleRate(Int)
    case decodeFailed(atSecond: Double, reason: String)
    case seekFailed(toSecond: Double, reason: String)
    case cannotWrite(path: String, reason: String)

    /// The message without the file's path, for listings that already show it.
    public var reason: String {
        switch self {
        case .cannotOpen(_, let reason): return "cannot open: \(reason)"
        case .cannotWrite(_, let reason): return "cannot write: \(reason)"
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open \(path): \(reason)"
        case .unsupportedChannelCount(let count): return "unsupported channel count \(count)"
        case .unsupportedSampleRate(let rate): return "unsupported sample rate \(rate) Hz (8000–192000 Hz are supported)"
        case .decodeFailed(let second, let reason):
            return "decoding failed at \(formatTime(second)): \(reason)"
        case .seekFailed(let second, let reason): return "cannot seek to \(formatTime(second)): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// `m:ss` (or `h:mm:ss`) for messages and listings.
public func formatTime(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?:??" }
    let total = Int(seconds.rounded(.down))
    let (hours, minutes, secs) = (total / 3600, (total / 60) % 60, total % 60)
    func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" }
    return "\(minutes):\(twoDigits(secs))"
}
