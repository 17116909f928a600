import CSndFile
#if canImport(Glibc)
import Glibc
#endif

/// What libsndfile reports about an open file.
public struct SoundFileInfo: Equatable, Sendable {
    /// Frames as the header claims; may be an estimate (MP3) or a lie (damaged WAV).
    public var frames: Int64
    public var sampleRate: Int
    public var channels: Int
    /// Short lowercase format name: `wav`, `flac`, `vorbis`, `opus`, `mp3`, `aiff`, …
    public var format: String
    public var seekable: Bool

    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }

    /// The duration when the header states a believable one. Damaged Ogg files report an
    /// "unknown" length (the largest count there is); anything over a week is treated alike.
    public var knownDuration: Double? {
        guard frames > 0, frames < Int64.max, duration < 7 * 24 * 3600 else { return nil }
        return duration
    }
}

/// An audio file open for reading through libsndfile, decoded to interleaved float32.
///
/// Not thread-safe: one reader belongs to one thread at a time.
public final class SoundFile {
    public let path: PathBytes
    public let info: SoundFileInfo
    private let handle: OpaquePointer

    public init(path: PathBytes) throws {
        var sfInfo = SF_INFO()
        let opened: OpaquePointer? = path.withCString { sf_open($0, Int32(SFM_READ), &sfInfo) }
        guard let opened else {
            throw AudioError.cannotOpen(path: path.description, reason: SoundFile.openFailureReason(path: path))
        }
        guard sfInfo.channels >= 1, sfInfo.channels <= 64 else {
            sf_close(opened)
            throw AudioError.unsupportedChannelCount(Int(sfInfo.channels))
        }
        guard (SoundFile.supportedRates).contains(Int(sfInfo.samplerate)) else {
            sf_close(opened)
            throw AudioError.unsupportedSampleRate(Int(sfInfo.samplerate))
        }
        // Normalised float reads scale integer formats to [-1, 1]; clipping stays the caller's choice.
        sf_command(opened, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        self.path = path
        self.handle = opened
        self.info = SoundFileInfo(frames: sfInfo.frames, sampleRate: Int(sfInfo.samplerate),
                                  channels: Int(sfInfo.channels), format: SoundFile.formatName(sfInfo.format),
                                  seekable: sfInfo.seekable != 0)
    }

    deinit { sf_close(handle) }

    /// Sample rates Soundmap decodes; beyond them libsndfile headers are more likely damaged than real.
    public static let supportedRates = 8000...192_000

    /// Reads up to `frames` interleaved frames into `buffer`; returns how many were read (0 at the end).
    /// A short read followed by a libsndfile error is reported by `pendingError`.
    public func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
    }

    /// The error libsndfile holds after a read, if any.
    public var pendingError: String? {
        let code = sf_error(handle)
        guard code != Int32(SF_ERR_NO_ERROR) else { return nil }
        return String(cString: sf_strerror(handle))
    }

    /// Moves to `frame` (source frames from the start).
    public func seek(toFrame frame: Int64) throws {
        let result = sf_seek(handle, sf_count_t(frame), SEEK_SET)
        if result < 0 {
            throw AudioError.seekFailed(toSecond: Double(frame) / Double(info.sampleRate),
                                        reason: String(cString: sf_strerror(handle)))
        }
    }

    /// The file's own tags (Vorbis comments, ID3, RIFF INFO, …) as libsndfile exposes them.
    public var tags: AudioTags {
        func string(_ kind: Int32) -> String? {
            guard let raw = sf_get_string(handle, kind) else { return nil }
            // Tags are meant to be UTF-8 but old files carry Latin-1; decoding repairs rather than drops.
            let length = strlen(raw)
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: length)
            let text = String(decoding: bytes, as: UTF8.self).trimmed()
            return text.isEmpty ? nil : text
        }
        return AudioTags(title: string(Int32(SF_STR_TITLE)), artist: string(Int32(SF_STR_ARTIST)),
                         album: string(Int32(SF_STR_ALBUM)), date: string(Int32(SF_STR_DATE)),
                         genre: string(Int32(SF_STR_GENRE)))
    }

    private static func openFailureReason(path: PathBytes) -> String {
        let readable = path.withCString { access($0, R_OK) } == 0
        if !readable {
            let code = errno
            return String(cString: strerror(code)).lowercased()
        }
        let message = String(cString: sf_strerror(nil))
        switch message {
        case let text where text.contains("unknown format") || text.contains("Format not recognised"):
            return "not an audio file libsndfile can read (unknown format)"
        default:
            return message.isEmpty ? "unknown error" : message
        }
    }

    static func formatName(_ format: Int32) -> String {
        let major = format & Int32(SF_FORMAT_TYPEMASK)
        let minor = format & Int32(SF_FORMAT_SUBMASK)
        switch major {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX): return "wav"
        case Int32(SF_FORMAT_RF64): return "rf64"
        case Int32(SF_FORMAT_W64): return "w64"
        case Int32(SF_FORMAT_AIFF): return "aiff"
        case Int32(SF_FORMAT_AU): return "au"
        case Int32(SF_FORMAT_CAF): return "caf"
        case Int32(SF_FORMAT_FLAC): return "flac"
        case Int32(SF_FORMAT_MPEG): return "mp3"
        case Int32(SF_FORMAT_OGG):
            switch minor {
            case Int32(SF_FORMAT_OPUS): return "opus"
            case Int32(SF_FORMAT_VORBIS): return "vorbis"
            default: return "ogg"
            }
        default:
            var formatInfo = SF_FORMAT_INFO()
            formatInfo.format = major
            guard sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &formatInfo, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
                  let name = formatInfo.extension else { return "unknown" }
            return String(cString: name)
        }
    }
}
