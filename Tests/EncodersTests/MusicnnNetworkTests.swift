import Encoders
import Foundation
import ModelCore
import Testing
import TestSupport

/// The Swift musicnn against the original TensorFlow graph (fixtures by tools/make_musicnn_fixtures.py).
@Suite struct MusicnnNetworkTests {
    struct Manifest: Decodable {
        typealias Array = FixtureArray
        struct Run: Decodable {
            let name: String
            let dataset: String
            let patches: Array
            let outputs: [String: Array]
        }
        let runs: [Run]
    }

    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("musicnn")
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("assets/models")

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: fixtures.appendingPathComponent("manifest.json")))
    }

    static var runNames: [String] { (try? manifest().runs.map(\.name)) ?? [] }

    static func load(_ file: String) throws -> NumpyArray { try NumpyArray(contentsOf: fixtures.appendingPathComponent(file)) }

    /// On one thread, and with the patches shared out over two (where a run has more than one).
    @Test(arguments: runNames, [1, 2])
    func matchesTensorFlow(run name: String, threads: Int) throws {
        let run = try Self.manifest().runs.first { $0.name == name }!
        let network = try MusicnnNetwork(contentsOf: Self.models.appendingPathComponent("musicnn-\(run.dataset.lowercased()).safetensors"))
        #expect(network.tags.count == 50)
        let patches = try Self.load(run.patches.file)
        let input = Tensor(shape: patches.shape.count == 2 ? [1] + patches.shape : patches.shape, values: patches.values)
        let output = network.forward(patches: input, threads: threads)
        for (key, ours) in [("embeddings", output.embeddings), ("probabilities", output.probabilities), ("logits", output.logits)] {
            let reference = try Self.load(run.outputs[key]!.file)
            #expect(ours.count == reference.values.count, "\(key)")
            let worst = zip(ours.values, reference.values).map { abs($0 - $1) }.max() ?? .infinity
            // 1e-4 on tags and embedding; logits reach ~15, so relative to their scale.
            let scale = key == "logits" ? max(1, reference.values.map(abs).max()!) : 1
            #expect(worst < 1e-4 * scale, "\(name) \(key): max difference \(worst)")
        }
    }
}
