import AudioIO
import Foundation
import Playback
import Testing
import TestSupport

@Suite(.serialized) struct AudioPlayerTests {
    /// Level of `frequency` in `signal` by correlation, in dB re a full-scale sine.
    func toneLevel(_ signal: ArraySlice<Float>, frequency: Double, rate: Double) -> Double {
        var real = 0.0
        var imaginary = 0.0
        for (index, sample) in signal.enumerated() {
            let angle = 2 * Double.pi * frequency * Double(index) / rate
            real += Double(sample) * cos(angle)
            imaginary += Double(sample) * sin(angle)
        }
        return 20 * log10(max(1e-12, 2 * (real * real + imaginary * imaginary).squareRoot() / Double(signal.count)))
    }

    @Test func aToneComesOutOfTheSink() throws {
        let server = try PulseAudioServer()
        let folder = TemporaryDirectory()
        let tone = Signals.sine(frequency: 1_000, seconds: 1.5, rate: 48_000, amplitude: 0.5)
        let path = try Signals.writeFile(folder.file("tone.flac"), format: .flac, rate: 48_000, channels: [tone, tone])
        let recording = try server.startRecording()
        let played = try AudioPlayer(server: server.address).play(path)
        let recorded = recording.stop()
        #expect(abs(played - 1.5) < 0.01)
        // Find the loud part and check it is our tone at about −6 dB, with nothing at 3 kHz.
        let loud = recorded.indices.filter { abs(recorded[$0]) > 0.1 }
        let first = try #require(loud.first, "nothing audible was recorded from the sink")
        let segment = recorded[(first + 4_410)..<min(recorded.count, first + 4_410 + 22_050)]
        #expect(segment.count > 20_000)
        #expect(abs(toneLevel(segment, frequency: 1_000, rate: 44_100) - 20 * log10(0.5)) < 1)
        #expect(toneLevel(segment, frequency: 3_000, rate: 44_100) < -50)
    }

    @Test func aClipPlaysOnlyItsStretch() throws {
        let server = try PulseAudioServer()
        let folder = TemporaryDirectory()
        // One second of 500 Hz, one of 2 kHz, one of 500 Hz: the clip from 1.2 s for 0.6 s is all 2 kHz.
        let low = Signals.sine(frequency: 500, seconds: 1, rate: 44_100)
        let high = Signals.sine(frequency: 2_000, seconds: 1, rate: 44_100)
        let path = try Signals.writeFile(folder.file("steps.wav"), format: .wav, rate: 44_100, channels: [low + high + low])
        let recording = try server.startRecording()
        let played = try AudioPlayer(server: server.address).play(path, start: 1.2, duration: 0.6)
        let recorded = recording.stop()
        #expect(abs(played - 0.6) < 0.01)
        let loud = recorded.indices.filter { abs(recorded[$0]) > 0.1 }
        let first = try #require(loud.first)
        let last = try #require(loud.last)
        #expect(abs(Double(last - first) / 44_100 - 0.6) < 0.05)
        let middle = recorded[(first + 2_000)..<(last - 2_000)]
        #expect(toneLevel(middle, frequency: 2_000, rate: 44_100) > -8)
        #expect(toneLevel(middle, frequency: 500, rate: 44_100) < -40)
    }

    @Test func aMissingServerIsAClearError() throws {
        let folder = TemporaryDirectory()
        let path = try Signals.writeFile(folder.file("tone.wav"), format: .wav, rate: 44_100,
                                         channels: [Signals.sine(frequency: 440, seconds: 0.2, rate: 44_100)])
        #expect {
            try AudioPlayer(server: "unix:" + folder.file("no-such-socket")).play(path)
        } throws: { error in
            "\(error)".contains("cannot reach a PulseAudio server")
        }
    }

    @Test func stoppingEndsPlaybackEarly() throws {
        let server = try PulseAudioServer()
        let folder = TemporaryDirectory()
        let path = try Signals.writeFile(folder.file("long.wav"), format: .wav, rate: 44_100,
                                         channels: [Signals.sine(frequency: 440, seconds: 10, rate: 44_100)])
        let stop = StopSignal()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { stop.stop() }
        let started = Date()
        let played = try AudioPlayer(server: server.address).play(path, stop: stop)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(played < 5)
    }
}
