import CSndFile

/// The formats Soundmap writes (for clips, benchmarks and test corpora).
public enum AudioFileFormat: String, CaseIterable, Sendable {
    case wav, flac, vorbis, opus, mp3, aiff

    public var fileExtension: String {
        switch self {
        case .wav: "wav"
        case .flac: "flac"
        case .vorbis: "ogg"
        case .opus: "opus"
        case .mp3: "mp3"
        case .aiff: "aiff"
        }
    }

    var sndfileFormat: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .vorbis: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        case .opus: Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS)
        case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        case .aiff: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
        }
    }
}

/// Writes interleaved float32 audio through libsndfile.
public final class SoundFileWriter {
    public let path: PathBytes
    public let channels: Int
    private var handle: OpaquePointer?

    /// Opus files only take 8, 12, 16, 24 or 48 kHz; the other formats any supported rate.
    public init(path: PathBytes, format: AudioFileFormat, sampleRate: Int, channels: Int,
                tags: AudioTags = AudioTags(), pcmSubtype: Int32? = nil) throws {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = pcmSubtype.map { (format.sndfileFormat & Int32(SF_FORMAT_TYPEMASK)) | $0 } ?? format.sndfileFormat
        guard let opened = path.withCString({ sf_open($0, Int32(SFM_WRITE), &info) }) else {
            throw AudioError.cannotWrite(path: path.description, reason: String(cString: sf_strerror(nil)))
        }
        handle = opened
        // Decoded audio can overshoot full scale; integer formats must clip it (libFLAC refuses
        // out-of-range samples outright).
        sf_command(opened, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        self.path = path
        self.channels = channels
        let strings: [(Int32, String?)] = [
            (Int32(SF_STR_TITLE), tags.title), (Int32(SF_STR_ARTIST), tags.artist),
            (Int32(SF_STR_ALBUM), tags.album), (Int32(SF_STR_DATE), tags.date), (Int32(SF_STR_GENRE), tags.genre),
        ]
        for case let (kind, value?) in strings {
            sf_set_string(opened, kind, value)
        }
    }

    deinit { close() }

    /// Writes frames of `channels` interleaved samples.
    public func write(interleaved samples: [Float]) throws {
        guard let handle else { throw AudioError.cannotWrite(path: path.description, reason: "already closed") }
        // Large single writes crash libsndfile's Vorbis encoder; blocks of ~1 s are safe.
        let blockFrames = 48_000
        var offset = 0
        let frames = samples.count / channels
        try samples.withUnsafeBufferPointer { buffer in
            while offset < frames {
                let count = min(blockFrames, frames - offset)
                let written = sf_writef_float(handle, buffer.baseAddress! + offset * channels, sf_count_t(count))
                if written != count {
                    throw AudioError.cannotWrite(path: path.description, reason: String(cString: sf_strerror(handle)))
                }
                offset += count
            }
        }
    }

    public func close() {
        if let handle { sf_close(handle) }
        handle = nil
    }
}
