import AudioIO
import Encoders
import Foundation
import Testing
import TestSupport

@Suite struct BaselineEncoderTests {
    let encoder = BaselineEncoder()

    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return dot / norms
    }

    @Test func vectorsHaveTheDescribedSizeAndAreFinite() throws {
        let embedding = try encoder.embed(samples: Signals.melody(seconds: 5, rate: 22_050))
        #expect(embedding.vector.count == encoder.descriptor.dimension)
        #expect(encoder.descriptor.dimension == 4 * 96 + 2 * BaselineEncoder.cepstralCount)
        #expect(embedding.vector.allSatisfy { $0.isFinite })
        #expect(abs(embedding.analyzedSeconds - 5) < 0.05)
    }

    @Test func sameInputGivesTheSameVector() throws {
        let signal = Signals.melody(seconds: 3, rate: 22_050, seed: 5)
        #expect(try encoder.embed(samples: signal) == encoder.embed(samples: signal))
    }

    @Test func similarMusicIsCloserThanDifferentMusic() throws {
        let melody = try encoder.embed(samples: Signals.melody(seconds: 6, rate: 22_050, root: 220, seed: 1)).vector
        let sameStyle = try encoder.embed(samples: Signals.melody(seconds: 6, rate: 22_050, root: 220, seed: 2)).vector
        let noise = try encoder.embed(samples: Signals.noise(seconds: 6, rate: 22_050, amplitude: 0.3)).vector
        // Raw features are dominated by their mean; centre them on the three as search standardises on a library.
        let mean = (0..<melody.count).map { (melody[$0] + sameStyle[$0] + noise[$0]) / 3 }
        func centred(_ v: [Float]) -> [Float] { zip(v, mean).map { $0 - $1 } }
        #expect(cosine(centred(melody), centred(sameStyle)) > cosine(centred(melody), centred(noise)))
    }

    @Test func silenceAndQuietFramesAreLeftOut() throws {
        // Music that fades in and out as tracks do, then surrounded by four seconds of silence.
        var music = Signals.melody(seconds: 4, rate: 22_050)
        let fade = 11_025
        for index in 0..<fade {
            let gain = Float(index) / Float(fade)
            music[index] *= gain
            music[music.count - 1 - index] *= gain
        }
        let silence = [Float](repeating: 0, count: 256 * 344)  // four seconds, a whole number of hops, so both versions share one frame grid
        let padded = silence + music + silence
        let plain = try encoder.embed(samples: music)
        let withSilence = try encoder.embed(samples: padded)
        #expect(abs(withSilence.audibleSeconds - plain.audibleSeconds) < 0.2)
        // Features differ in scale (dB means near −30, cepstral sums in the hundreds): compare relatively.
        let difference = zip(plain.vector, withSilence.vector).map { abs($0 - $1) / (abs($0) + 1) }.max()!
        #expect(difference < 0.05, "silence moved a feature by \(difference * 100) %")
    }

    @Test func silentAndTinyInputsAreRefusedWithAReason() {
        #expect(throws: EncoderError.self) { try encoder.embed(samples: [Float](repeating: 0, count: 22_050 * 3)) }
        #expect(throws: EncoderError.tooShort(seconds: 1 / (22_050.0 / 256))) { try encoder.embed(samples: [0.5]) }
        let quiet = Signals.noise(seconds: 3, rate: 22_050, amplitude: 0.0005)
        #expect { try encoder.embed(samples: quiet) } throws: { "\($0)".hasPrefix("silent") }
    }

    @Test func songsAreAlsoDescribedInThirtySecondClips() throws {
        let folder = TemporaryDirectory()
        let music = Signals.melody(seconds: 70, rate: 22_050)
        let path = try Signals.writeFile(folder.file("long.flac"), format: .flac, rate: 22_050, channels: [music])
        let embedding = try encoder.embed(AudioDecoder(path: path, outputRate: 22_050), progress: { _ in })
        #expect(embedding.clips.map { Int($0.start.rounded()) } == [0, 30, 60])
        #expect(embedding.clips.allSatisfy { $0.vector.count == encoder.descriptor.dimension })
        #expect(abs(embedding.clips.last!.length - 10) < 0.5)
    }

    @Test func longFilesAreHeardThroughEvenlySpacedExcerpts() throws {
        var plan = AnalysisPlan()
        plan.wholeSongLimit = 20
        plan.excerptCount = 4
        plan.excerptSeconds = 3
        let short = BaselineEncoder(plan: plan)
        let folder = TemporaryDirectory()
        let music = Signals.melody(seconds: 60, rate: 22_050)
        let path = try Signals.writeFile(folder.file("long.flac"), format: .flac, rate: 22_050, channels: [music])
        var reported: [Double] = []
        let embedding = try short.embed(AudioDecoder(path: path, outputRate: 22_050), progress: { reported.append($0) })
        #expect(abs(embedding.analyzedSeconds - 12) < 0.2)
        #expect(embedding.clips.count == 4)
        #expect(plan.excerptStarts(duration: 60) == [7.125, 21.375, 35.625, 49.875])
        #expect(reported.count == 4)
    }
}
