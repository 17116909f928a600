import Encoders
import Foundation
import Testing
import TestSupport

@Suite struct FilterActivationsTests {
    @Test func keepsRunningMeansAndTheFirstStrongestClip() {
        var activations = FilterActivations(filterCount: 3, clipLength: 3)
        activations.observe([1, -2, 0.5], start: 0)
        activations.observe([3, -4, 0.5], start: 3)
        activations.observe([2, -1, 0.25], start: 6)
        #expect(activations.means == [2, -7.0 / 3, 1.25 / 3])
        #expect(activations.peaks == [3, -1, 0.5])
        #expect(activations.peakStarts == [3, 6, 0], "a tie keeps the earlier clip")
    }

    /// musicnn's filters are its 200 penultimate units: their means over the song's patches are the
    /// song's vector, and each peak is the value of one whole patch.
    @Test func musicnnReportsItsPenultimateUnits() throws {
        let encoder = try EncoderCatalog.encoder(named: "musicnn-mtt")
        #expect(encoder.descriptor.filterCount == 200)
        let rate = encoder.sampleRate
        let seconds = 10
        let samples = (0..<(seconds * rate)).map { index -> Float in
            // A tone that changes every 3 s, so the patches differ.
            let frequency = Double(220 << (index / (3 * rate)))
            return Float(0.3 * sin(2 * Double.pi * frequency * Double(index) / Double(rate)))
        }
        let embedding = try encoder.embed(samples: samples)
        let filters = try #require(embedding.filterActivations)
        #expect(filters.filterCount == 200)
        for (mean, value) in zip(filters.means, embedding.vector) { #expect(abs(mean - value) <= 1e-5 * max(1, abs(value))) }
        #expect(zip(filters.peaks, filters.means).allSatisfy { $0 >= $1 - 1e-6 })
        let patch = filters.clipLength
        #expect(abs(patch - 187.0 * 256 / 16_000) < 1e-9)
        #expect(filters.peakStarts.allSatisfy { start in abs(start / patch - (start / patch).rounded()) < 1e-9 && start < Double(seconds) })
        #expect(Set(filters.peakStarts).count > 1, "different filters peak in different patches")
    }
}
