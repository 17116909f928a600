import DSP
import ModelCore

/// musicnn's input: 16 kHz audio → 512-point frames every 256 samples (reflect padding, as
/// librosa did when the model was trained) → 96 Slaney mel bands → float16 → log10(1 + 10⁴·x),
/// cut into patches of 187 frames (~3 s) without overlap.
public enum MusicnnFrontEnd {
    public static let spectrogram = SpectrogramConfiguration(
        sampleRate: 16_000,
        stft: STFTConfiguration(fftSize: 512, hopLength: 256, padMode: .reflect),
        bands: .mel(count: MusicnnNetwork.bands, minFrequency: 0, maxFrequency: nil, scale: .slaney, normalization: .slaney),
        compression: .log10OnePlusOfHalf(scale: 10_000))

    /// Consecutive 187-frame patches of a log-mel spectrogram [frames, 96]: [patches, 187, 96].
    ///
    /// The incomplete tail is dropped as musicnn does; a spectrogram shorter than one patch
    /// becomes one shorter patch (the network takes any length; musicnn 0.1.0 itself fails there).
    public static func patches(of logMel: Matrix) -> Tensor? {
        let length = MusicnnNetwork.patchFrames
        let bands = MusicnnNetwork.bands
        guard logMel.rows > 0 else { return nil }
        if logMel.rows < length { return Tensor(shape: [1, logMel.rows, bands], values: logMel.values) }
        let count = logMel.rows / length
        return Tensor(shape: [count, length, bands], values: Array(logMel.values[0..<(count * length * bands)]))
    }
}
