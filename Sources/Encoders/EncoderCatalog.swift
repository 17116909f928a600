import Foundation

/// The encoders Soundmap can index with, by the name given to `--model`.
public enum EncoderCatalog {
    /// The model used when none is named: the pretrained musicnn tagger, until a model trained
    /// on the person's own music beats it. The baseline stays as the floor to compare with.
    public static let defaultName = "musicnn-mtt"

    public static let names = ["baseline", "musicnn-mtt", "musicnn-msd"]

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unknown(String)
        public var description: String {
            switch self {
            case .unknown(let name): "unknown model '\(name)'; available: \(EncoderCatalog.names.joined(separator: ", "))"
            }
        }
    }

    /// The encoder called `name`, with its weights loaded.
    public static func encoder(named name: String) throws -> any SongEncoder {
        switch name {
        case "baseline":
            return BaselineEncoder()
        case "musicnn-mtt", "musicnn-msd":
            let network = try MusicnnNetwork(contentsOf: ModelFiles.url(for: name + ".safetensors"))
            return MusicnnEncoder(network: network, name: name)
        default:
            throw Failure.unknown(name)
        }
    }
}
