/// Which files the scanner treats as audio, by extension.
public enum AudioFileTypes {
    /// Containers and codecs libsndfile decodes.
    public static let supportedExtensions: Set<String> = [
        "wav", "wave", "bwf", "aif", "aiff", "aifc", "flac", "ogg", "oga", "opus",
        "mp3", "mp2", "mpga", "au", "snd", "caf", "w64", "rf64", "sf", "voc", "xi", "mat",
    ]

    /// Audio formats people keep music in that libsndfile cannot read; reported, not skipped silently.
    public static let unsupportedAudioExtensions: [String: String] = [
        "m4a": "AAC/ALAC in MP4", "aac": "AAC", "alac": "ALAC", "wma": "Windows Media Audio",
        "ape": "Monkey's Audio", "wv": "WavPack", "mka": "Matroska audio", "webm": "WebM audio",
        "mpc": "Musepack", "dsf": "DSD", "dff": "DSD", "tta": "TTA", "ac3": "Dolby AC-3",
    ]

    public enum Kind: Equatable, Sendable {
        case supported
        case unsupported(formatName: String)
        case notAudio
    }

    public static func kind(of path: PathBytes) -> Kind {
        let fileExtension = path.lowercasedExtension
        if supportedExtensions.contains(fileExtension) { return .supported }
        if let name = unsupportedAudioExtensions[fileExtension] { return .unsupported(formatName: name) }
        return .notAudio
    }
}
