/// The encoders Soundmap can index with, by the name given to `--model`.
public enum EncoderCatalog {
    /// The model used when none is named.
    public static let defaultName = "baseline"

    public static let names = ["baseline"]

    public static func encoder(named name: String) -> (any SongEncoder)? {
        switch name {
        case "baseline": BaselineEncoder()
        default: nil
        }
    }
}
