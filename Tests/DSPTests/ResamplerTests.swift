import DSP
import Foundation
import Testing
import TestSupport

@Suite struct ResamplerTests {
    func resample(_ signal: [Float], from input: Int, to output: Int) -> [Float] {
        let resampler = Resampler(from: input, to: output)
        var result: [Float] = []
        resampler.process(signal, into: &result)
        resampler.finish(into: &result)
        return result
    }

    /// Level of `frequency` in `signal`, by correlation with a complex exponential over a Hann window.
    func toneLevelDB(_ signal: ArraySlice<Float>, frequency: Double, rate: Int) -> Double {
        let window = WindowFunction.hann.periodic(length: signal.count)
        var real = 0.0
        var imaginary = 0.0
        for (index, sample) in signal.enumerated() {
            let angle = 2 * Double.pi * frequency * Double(index) / Double(rate)
            real += Double(sample * window[index]) * cos(angle)
            imaginary += Double(sample * window[index]) * sin(angle)
        }
        let amplitude = 2 * (real * real + imaginary * imaginary).squareRoot() / (Double(signal.count) * 0.5)
        return 20 * log10(max(amplitude, 1e-12))
    }

    @Test(arguments: [(44_100, 22_050), (48_000, 22_050), (8_000, 22_050), (192_000, 22_050), (22_050, 16_000), (44_100, 16_000)])
    func outputLengthFollowsTheRatio(input: Int, output: Int) {
        let signal = Signals.noise(seconds: 0.37, rate: input)
        let result = resample(signal, from: input, to: output)
        let expected = Int((Double(signal.count) * Double(output) / Double(input)).rounded(.up))
        #expect(abs(result.count - expected) <= 1)
    }

    @Test func passBandTonesKeepTheirLevel() {
        for frequency in [100.0, 1000.0, 5000.0, 8500.0] {
            let signal = Signals.sine(frequency: frequency, seconds: 1, rate: 44_100, amplitude: 0.5)
            let result = resample(signal, from: 44_100, to: 22_050)
            let level = toneLevelDB(result[2000..<20000], frequency: frequency, rate: 22_050)
            #expect(abs(level - 20 * log10(0.5)) < 0.1, "\(frequency) Hz at \(level) dB")
        }
    }

    /// A sweep across the whole input band: whatever lies above the output's Nyquist frequency
    /// must vanish instead of folding back as audible aliases.
    @Test(arguments: [(44_100, 22_050), (48_000, 22_050), (96_000, 22_050), (44_100, 16_000)])
    func sweepAboveNyquistDoesNotAlias(input: Int, output: Int) {
        let nyquist = Double(output) / 2
        let sweep = Signals.logSweep(from: nyquist * 1.01, to: Double(input) / 2 * 0.99, seconds: 2, rate: input, amplitude: 0.9)
        let result = resample(sweep, from: input, to: output)
        let level = Signals.levelDB(result[200..<(result.count - 200)])
        #expect(level < -80, "aliased energy at \(level) dB re full scale")
    }

    @Test func upsamplingLeavesNoImages() {
        let input = 8_000
        let tone = Signals.sine(frequency: 3_000, seconds: 1, rate: input, amplitude: 0.9)
        let result = resample(tone, from: input, to: 22_050)
        let image = toneLevelDB(result[2000..<20000], frequency: 5_000, rate: 22_050)
        let kept = toneLevelDB(result[2000..<20000], frequency: 3_000, rate: 22_050)
        #expect(abs(kept - 20 * log10(0.9)) < 0.1)
        #expect(image < -85)
    }

    @Test func chunkedProcessingEqualsOneBlock() {
        let signal = Signals.melody(seconds: 3, rate: 48_000)
        let whole = resample(signal, from: 48_000, to: 22_050)
        let resampler = Resampler(from: 48_000, to: 22_050)
        var chunked: [Float] = []
        var offset = 0
        var generator = SeededGenerator(seed: 3)
        while offset < signal.count {
            let length = min(Int.random(in: 1...9000, using: &generator), signal.count - offset)
            resampler.process(Array(signal[offset..<(offset + length)]), into: &chunked)
            offset += length
        }
        resampler.finish(into: &chunked)
        #expect(chunked == whole)
    }

    @Test func awkwardRatesAreApproximatedWellBelowAudibility() {
        let design = ResamplerDesign(inputRate: 44_101, outputRate: 22_050)
        let ratio = Double(design.upFactor) / Double(design.downFactor)
        #expect(design.upFactor <= ResamplerDesign.maxPhases)
        // 0.1 cent is 58 parts per million; people notice about 5 cents.
        #expect(abs(ratio / (22_050.0 / 44_101.0) - 1) < 58e-6)
    }
}
