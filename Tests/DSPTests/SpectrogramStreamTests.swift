import DSP
import Testing
import TestSupport

@Suite struct SpectrogramStreamTests {
    @Test(arguments: [STFTConfiguration.PadMode.constant, .reflect])
    func chunkedInputGivesTheSameFramesAsOneBlock(padMode: STFTConfiguration.PadMode) {
        var configuration = SpectrogramConfiguration.standardLogMel
        configuration.stft.padMode = padMode
        let signal = Signals.melody(seconds: 4, rate: 22_050)
        let whole = configuration.spectrogram(of: signal)

        let stream = SpectrogramStream(configuration: configuration)
        var chunked: [Float] = []
        var frames = 0
        var generator = SeededGenerator(seed: 7)
        var offset = 0
        let collect = { (rows: SpectrogramRows) in
            #expect(rows.firstFrame == frames)
            chunked.append(contentsOf: rows.values)
            frames += rows.frameCount
        }
        while offset < signal.count {
            let length = min(Int.random(in: 1...5000, using: &generator), signal.count - offset)
            stream.append(Array(signal[offset..<(offset + length)]), consumer: collect)
            offset += length
        }
        stream.finish(consumer: collect)
        #expect(frames == whole.rows)
        #expect(chunked == whole.values)
    }

    @Test func frameLevelsFollowTheSignalLevel() {
        let configuration = SpectrogramConfiguration.standardLogMel
        let stream = SpectrogramStream(configuration: configuration)
        let loud = Signals.sine(frequency: 440, seconds: 1, rate: 22_050, amplitude: 1)
        let quiet = Signals.sine(frequency: 440, seconds: 1, rate: 22_050, amplitude: 0.001)
        var levels: [Float] = []
        let collect = { (rows: SpectrogramRows) in levels.append(contentsOf: rows.levels) }
        stream.append(loud + quiet, consumer: collect)
        stream.finish(consumer: collect)
        // A full-scale sine is 0 dB; one at 1/1000 is −60 dB.
        #expect(abs(levels[40] - 0) < 0.1)
        #expect(abs(levels[130] - (-60)) < 0.1)
    }

    @Test func emptyAndTinySignalsGiveLibrosaFrameCounts() {
        let configuration = SpectrogramConfiguration.standardLogMel
        #expect(configuration.spectrogram(of: []).rows == 1)
        #expect(configuration.spectrogram(of: [0.5]).rows == 1)
        #expect(configuration.spectrogram(of: [Float](repeating: 0.1, count: 256)).rows == 2)
    }
}
