import Encoders
import Foundation
import Testing
import TestSupport

/// musicnn over whole songs: patches, 30-second clips and filter activations.
@Suite struct MusicnnEncoderTests {
    static let seconds = 35

    /// A tone that changes every 3 s, so that the patches differ.
    static func steppedTone(rate: Int) -> [Float] {
        (0..<(seconds * rate)).map { index in
            let frequency = Double(220 << (index / (3 * rate) % 4))
            return Float(0.3 * sin(2 * Double.pi * frequency * Double(index) / Double(rate)))
        }
    }

    @Test func aSongLongerThanAClipIsCutIntoThirtySecondClips() throws {
        let encoder = try EncoderCatalog.encoder(named: "musicnn-mtt")
        let embedding = try encoder.embed(samples: Self.steppedTone(rate: encoder.sampleRate))
        let patch = 187.0 * 256 / 16_000
        func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 } }
        #expect(close(embedding.clips.map(\.start), [0, 10 * patch]))
        #expect(close(embedding.clips.map(\.length), [10 * patch, 1 * patch]))
        #expect(close([embedding.audibleSeconds], [11 * patch]))
        // The song's vector is the mean over patches, so the clip means weighted by length.
        for dimension in stride(from: 0, to: 200, by: 17) {
            let weighted = (10 * embedding.clips[0].vector[dimension] + embedding.clips[1].vector[dimension]) / 11
            #expect(abs(weighted - embedding.vector[dimension]) <= 1e-5 * max(1, abs(weighted)))
        }
    }

    /// Silent patches are left out, and clips start at the first patch they hold, so playing a
    /// clip plays what was heard.
    @Test func clipsStartAtTheirFirstAudiblePatch() throws {
        let encoder = try EncoderCatalog.encoder(named: "musicnn-mtt")
        let silence = [Float](repeating: 0, count: 6 * encoder.sampleRate)
        let embedding = try encoder.embed(samples: silence + Self.steppedTone(rate: encoder.sampleRate))
        let patch = 187.0 * 256 / 16_000
        #expect(embedding.clips.map { ($0.start / patch).rounded() } == [2, 12])
        #expect(abs(embedding.clips[0].start - 2 * patch) < 1e-9)
        #expect(abs(embedding.audibleSeconds - 11 * patch) < 1e-9)
    }

    /// musicnn's filters are its 200 penultimate units: their means over the song's patches are the
    /// song's vector, and each peak is the value of one whole patch.
    @Test func itsFiltersAreThePenultimateUnits() throws {
        let encoder = try EncoderCatalog.encoder(named: "musicnn-mtt")
        #expect(encoder.descriptor.filterCount == 200)
        let embedding = try encoder.embed(samples: Self.steppedTone(rate: encoder.sampleRate))
        let filters = try #require(embedding.filterActivations)
        #expect(filters.filterCount == 200)
        for (mean, value) in zip(filters.means, embedding.vector) { #expect(abs(mean - value) <= 1e-5 * max(1, abs(value))) }
        #expect(zip(filters.peaks, filters.means).allSatisfy { $0 >= $1 - 1e-6 })
        let patch = filters.clipLength
        #expect(abs(patch - 187.0 * 256 / 16_000) < 1e-9)
        #expect(filters.peakStarts.allSatisfy { abs($0 / patch - ($0 / patch).rounded()) < 1e-9 && $0 < Double(Self.seconds) })
        #expect(Set(filters.peakStarts).count > 1, "different filters peak in different patches")
    }

    @Test func songVectorIsTheMeanOfThePatchEmbeddings() throws {
        let encoder = try #require(try EncoderCatalog.encoder(named: "musicnn-mtt") as? MusicnnEncoder)
        #expect(encoder.descriptor.dimension == 200)
        let folder = MusicnnNetworkTests.fixtures
        let samples = try NumpyArray(contentsOf: folder.appendingPathComponent("signal_melody_clicks_7s.npy")).values
        let reference = try NumpyArray(contentsOf: folder.appendingPathComponent("mtt_melody_clicks_7s_song_embedding.npy")).values
        let embedding = try encoder.embed(samples: samples)
        #expect(embedding.vector.count == 200)
        let worst = zip(embedding.vector, reference).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "max difference \(worst)")
        #expect(embedding.clips.count == 1)
    }

    @Test func silenceIsRefused() throws {
        let encoder = try EncoderCatalog.encoder(named: "musicnn-mtt")
        #expect { try encoder.embed(samples: [Float](repeating: 0, count: 16_000 * 5)) } throws: { "\($0)".hasPrefix("silent") }
    }

    @Test func unknownModelsAreNamed() {
        #expect(throws: EncoderCatalog.Failure.unknown("nope")) { try EncoderCatalog.encoder(named: "nope") }
    }
}
