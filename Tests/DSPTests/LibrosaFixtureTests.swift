import DSP
import Foundation
import Testing
import TestSupport

/// Compares the front end with librosa 0.11 on fixtures made by tools/make_dsp_fixtures.py.
@Suite struct LibrosaFixtureTests {
    struct Case: Decodable {
        struct Parameters: Decodable {
            let sample_rate: Int
            let n_fft: Int
            let hop_length: Int
            let center: Bool
            let pad_mode: String?
            let power: Double
            let filterbank: String
            let n_mels: Int?
            let fmin: Double?
            let fmax: Double?
            let htk: Bool?
            let norm: String?
            let bins_per_octave: Int?
            let n_bins: Int?
        }
        struct Output: Decodable { let file: String }
        let name: String
        let signal: String
        let params: Parameters
        let outputs: [String: Output]
    }

    struct Manifest: Decodable {
        struct Signal: Decodable { let file: String }
        let signals: [String: Signal]
        let cases: [Case]
    }

    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: fixtures.appendingPathComponent("manifest.json")))
    }

    static func load(_ file: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: fixtures.appendingPathComponent(file))
    }

    static var caseNames: [String] { (try? manifest().cases.map(\.name)) ?? [] }

    func configuration(for parameters: Case.Parameters, compression: LogCompression? = nil) -> SpectrogramConfiguration {
        let stft = STFTConfiguration(fftSize: parameters.n_fft, hopLength: parameters.hop_length, center: parameters.center,
                                     padMode: parameters.pad_mode == "reflect" ? .reflect : .constant,
                                     power: Int(parameters.power))
        let bands: SpectrogramConfiguration.Bands
        if parameters.filterbank == "mel" {
            bands = .mel(count: parameters.n_mels!, minFrequency: parameters.fmin ?? 0, maxFrequency: parameters.fmax,
                         scale: parameters.htk == true ? .htk : .slaney,
                         normalization: parameters.norm == "slaney" ? .slaney : .none)
        } else {
            bands = .logFrequency(count: parameters.n_bins!, minFrequency: parameters.fmin!,
                                  binsPerOctave: parameters.bins_per_octave!)
        }
        return SpectrogramConfiguration(sampleRate: parameters.sample_rate, stft: stft, bands: bands, compression: compression)
    }

    @Test(arguments: caseNames)
    func matchesLibrosa(caseName: String) throws {
        let manifest = try Self.manifest()
        let fixture = manifest.cases.first { $0.name == caseName }!
        let signal = try Self.load(manifest.signals[fixture.signal]!.file).values
        let parameters = fixture.params
        var checked = 0

        if let power = fixture.outputs["power"] {
            var linear = configuration(for: parameters)
            linear.bands = .linear
            let ours = linear.spectrogram(of: signal)
            let reference = try Self.load(power.file)
            #expect([ours.rows, ours.columns] == reference.shape)
            #expect(maxRelativeToPeak(ours.values, reference.values) < 1e-5)
            checked += 1
        }
        if let filterbank = fixture.outputs["filterbank"] {
            let ours = configuration(for: parameters).makeFilterBank()!.dense
            let reference = try Self.load(filterbank.file)
            #expect([ours.rows, ours.columns] == reference.shape)
            #expect(maxRelativeToPeak(ours.values, reference.values) < 1e-6)
            checked += 1
        }
        for key in ["mel", "logfreq"] {
            guard let bands = fixture.outputs[key] else { continue }
            let ours = configuration(for: parameters).spectrogram(of: signal)
            let reference = try Self.load(bands.file)
            #expect([ours.rows, ours.columns] == reference.shape)
            #expect(maxRelativeError(ours.values, reference.values, floor: 1e-3 * Double(reference.values.max()!)) < 1e-4)
            checked += 1
        }
        let compressions: [(String, LogCompression, Float?)] = [
            ("db", .decibels(floor: 1e-10), nil), ("db_top80", .decibels(floor: 1e-10), 80),
            ("log1p", .log10OnePlus(scale: 10_000), nil),
        ]
        for (key, compression, range) in compressions {
            guard let output = fixture.outputs[key] else { continue }
            var ours = configuration(for: parameters, compression: compression).spectrogram(of: signal)
            if let range { clampDynamicRange(&ours.values, range: range) }
            let reference = try Self.load(output.file)
            #expect([ours.rows, ours.columns] == reference.shape)
            // Float32 arithmetic resolves ~100 dB below the peak; deeper bins are round-off in any float32 STFT.
            let resolvable = reference.values.max()! - 100
            let kept = reference.values.indices.filter { reference.values[$0] >= resolvable }
            #expect(kept.count > reference.values.count / 4)
            #expect(maxRelativeError(kept.map { ours.values[$0] }, kept.map { reference.values[$0] }, floor: 1) < 1e-4, "\(key)")
            checked += 1
        }
        #expect(checked >= 2)
    }
}
