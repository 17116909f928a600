import DSP
import Encoders
import Foundation
import ModelCore
import Testing
import TestSupport

/// The front end against the patches the original musicnn pipeline fed TensorFlow.
@Suite struct MusicnnFrontEndTests {
    @Test(arguments: [("signal_chord_noise_4s.npy", "patches_chord_noise_4s.npy"),
                      ("signal_melody_clicks_7s.npy", "patches_melody_clicks_7s.npy"),
                      ("signal_short_2p5s.npy", "logmel_short_2p5s.npy")])
    func logMelPatchesMatchTheOriginal(signal: String, patches: String) throws {
        let folder = MusicnnNetworkTests.fixtures
        let samples = try NumpyArray(contentsOf: folder.appendingPathComponent(signal)).values
        let reference = try NumpyArray(contentsOf: folder.appendingPathComponent(patches))
        let ours = try #require(MusicnnFrontEnd.patches(of: MusicnnFrontEnd.spectrogram.spectrogram(of: samples)))
        let expectedShape = reference.shape.count == 2 ? [1] + reference.shape : reference.shape
        #expect(ours.shape == expectedShape)
        // A mel value on a float16 rounding boundary may round the other way: up to ~4e-4 in the log.
        let differences = zip(ours.values, reference.values).map { abs($0 - $1) }
        #expect(differences.max()! < 5e-4)
        #expect(Double(differences.filter { $0 > 1e-5 }.count) / Double(differences.count) < 0.01)
    }
}
