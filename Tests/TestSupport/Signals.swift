import AudioIO
import Foundation
import ModelCore

/// Deterministic test signals.
public enum Signals {
    public static func sine(frequency: Double, seconds: Double, rate: Int, amplitude: Float = 0.5) -> [Float] {
        let count = Int(seconds * Double(rate))
        return (0..<count).map { amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    /// A sine whose frequency rises exponentially from `from` to `to` Hz.
    public static func logSweep(from low: Double, to high: Double, seconds: Double, rate: Int, amplitude: Float = 0.5) -> [Float] {
        let count = Int(seconds * Double(rate))
        let growth = log(high / low) / seconds
        return (0..<count).map { index in
            let time = Double(index) / Double(rate)
            let phase = 2 * Double.pi * low * (exp(growth * time) - 1) / growth
            return amplitude * Float(sin(phase))
        }
    }

    /// White noise in [-amplitude, amplitude] from a seeded generator.
    public static func noise(seconds: Double, rate: Int, amplitude: Float = 0.3, seed: UInt64 = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        let count = Int(seconds * Double(rate))
        return (0..<count).map { _ in Float.random(in: -amplitude...amplitude, using: &generator) }
    }

    /// A short piece with some musical structure: a melody of decaying notes over a noise beat.
    public static func melody(seconds: Double, rate: Int, root: Double = 220, tempo: Double = 120, seed: UInt64 = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        let count = Int(seconds * Double(rate))
        let beat = 60 / tempo
        let scale = [0, 2, 4, 5, 7, 9, 11, 12].map { root * pow(2, Double($0) / 12) }
        var notes: [Double] = []
        for _ in 0..<Int(seconds / beat + 1) { notes.append(scale[Int.random(in: 0..<scale.count, using: &generator)]) }
        return (0..<count).map { index in
            let time = Double(index) / Double(rate)
            let step = Int(time / beat)
            let sinceOnset = time - Double(step) * beat
            let envelope = exp(-3 * sinceOnset)
            let tone = 0.4 * envelope * sin(2 * Double.pi * notes[step] * time)
            let hit = sinceOnset < 0.03 ? 0.2 * Double.random(in: -1...1, using: &generator) : 0
            return Float(tone + hit)
        }
    }

    /// Interleaves channels of equal length.
    public static func interleave(_ channels: [[Float]]) -> [Float] {
        let frames = channels[0].count
        var result = [Float](repeating: 0, count: frames * channels.count)
        for (channel, samples) in channels.enumerated() {
            for frame in 0..<frames { result[frame * channels.count + channel] = samples[frame] }
        }
        return result
    }

    /// Root-mean-square level in dB re full scale sine (0 dB = a sine of amplitude 1).
    public static func levelDB(_ samples: ArraySlice<Float>) -> Double {
        guard !samples.isEmpty else { return -.infinity }
        let meanSquare = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
        return 10 * log10(max(meanSquare * 2, 1e-30))
    }
}

/// The tests' seeded generator is the model core's.
public typealias SeededGenerator = SeededRandom

extension Signals {
    /// Writes a real audio file through libsndfile.
    @discardableResult
    public static func writeFile(_ path: String, format: AudioFileFormat, rate: Int, channels: [[Float]],
                                 tags: AudioTags = AudioTags()) throws -> PathBytes {
        let bytes = PathBytes(path)
        let writer = try SoundFileWriter(path: bytes, format: format, sampleRate: rate, channels: channels.count, tags: tags)
        try writer.write(interleaved: interleave(channels))
        writer.close()
        return bytes
    }
}
