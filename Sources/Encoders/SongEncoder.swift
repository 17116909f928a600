import AudioIO

/// Identifies the model that made a vector; vectors of different models never mix.
public struct ModelDescriptor: Sendable, Equatable, Codable {
    /// The name people pass to `--model`.
    public var name: String
    /// Bumped whenever the same name would produce different vectors.
    public var version: Int
    public var dimension: Int
    /// Whether search must z-score each dimension over the library before cosine similarity
    /// (hand-made features of different units), rather than using the vectors as they are.
    public var standardize: Bool
    /// A one-line human description.
    public var summary: String
    /// Names of the tags the model predicts, in output order (empty for models without tags).
    public var tagNames: [String]
    /// How many filters of the last encoder layer the model reports activations of (0: none).
    public var filterCount: Int

    public init(name: String, version: Int, dimension: Int, standardize: Bool, summary: String, tagNames: [String] = [],
                filterCount: Int = 0) {
        self.name = name
        self.version = version
        self.dimension = dimension
        self.standardize = standardize
        self.summary = summary
        self.tagNames = tagNames
        self.filterCount = filterCount
    }
}

/// The vector of one stretch of a song, for finding the moments that sound alike.
public struct ClipEmbedding: Sendable, Equatable {
    public var start: Double
    public var length: Double
    public var vector: [Float]

    public init(start: Double, length: Double, vector: [Float]) {
        self.start = start
        self.length = length
        self.vector = vector
    }
}

/// A song's vector and what was heard to make it.
public struct SongEmbedding: Sendable, Equatable {
    public var vector: [Float]
    /// Vectors of consecutive clips (or of the excerpts of a long file).
    public var clips: [ClipEmbedding]
    /// Mean tag probabilities over the song, in the order of the model's `tagNames`.
    public var tagProbabilities: [Float]?
    /// How the filters of the model's last layer respond (models with `filterCount` > 0).
    public var filterActivations: FilterActivations?
    /// Seconds of audio the encoder looked at (all of it, or the excerpts of a long file).
    public var analyzedSeconds: Double
    /// Of those, the seconds loud enough to count.
    public var audibleSeconds: Double

    public init(vector: [Float], clips: [ClipEmbedding] = [], analyzedSeconds: Double, audibleSeconds: Double) {
        self.vector = vector
        self.clips = clips
        self.analyzedSeconds = analyzedSeconds
        self.audibleSeconds = audibleSeconds
    }
}

public enum EncoderError: Error, Equatable, Sendable, CustomStringConvertible {
    case silent(audibleSeconds: Double)
    case tooShort(seconds: Double)
    case noAudio(reason: String)

    public var description: String {
        switch self {
        case .silent(let seconds) where seconds == 0:
            return "silent: nothing above −60 dBFS"
        case .silent(let seconds):
            return "too little sound: only \(String(format1: seconds)) s above −60 dBFS (at least 1 s is needed)"
        case .tooShort(let seconds):
            return "too short: \(String(format1: seconds)) s of audio"
        case .noAudio(let reason):
            return "no audio decoded: \(reason)"
        }
    }
}

/// Turns a song into a fixed-size vector.
///
/// Encoders are immutable values shared by the indexing workers; every call builds its own
/// working state, so one encoder serves both cores.
public protocol SongEncoder: Sendable {
    var descriptor: ModelDescriptor { get }
    /// The sample rate the encoder wants its input at.
    var sampleRate: Int { get }
    /// Embeds a song read from `decoder`, which is positioned at the start.
    /// `progress` receives the seconds of source audio consumed so far.
    func embed(_ decoder: AudioDecoder, progress: (Double) -> Void) throws -> SongEmbedding
    /// Embeds audio already in memory at `sampleRate` (a clip).
    func embed(samples: [Float]) throws -> SongEmbedding
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
