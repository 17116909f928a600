import AudioIO
import DSP
import Foundation
import Testing
import TestSupport

@Suite struct DecodingTests {
    let folder = TemporaryDirectory()

    @Test(arguments: [AudioFileFormat.wav, .flac, .vorbis, .opus, .mp3, .aiff])
    func everyFormatDecodesToMonoAtTheAnalysisRate(format: AudioFileFormat) throws {
        let rate = format == .opus ? 48_000 : 44_100
        let tone = Signals.sine(frequency: 1000, seconds: 2, rate: rate, amplitude: 0.5)
        let path = try Signals.writeFile(folder.file("tone.\(format.fileExtension)"), format: format, rate: rate,
                                         channels: [tone, tone])
        let decoder = try AudioDecoder(path: path, outputRate: 22_050)
        #expect(decoder.info.channels == 2)
        #expect(decoder.info.sampleRate == rate)
        let samples = decoder.readAll()
        // Lossy codecs add encoder delay and padding; the length stays within a tenth of a second.
        #expect(abs(samples.count - 44_100) < 2_205, "\(samples.count) samples")
        let level = Signals.levelDB(samples[4_000..<30_000])
        #expect(abs(level - 20 * log10(0.5)) < 0.6, "level \(level) dB")
        #expect(decoder.stoppedEarly == nil)
    }

    @Test func tagsComeFromTheFile() throws {
        let tags = AudioTags(title: "Ünïcode Title", artist: "Some Artist", album: "An Album", date: "1987-05-01", genre: "Jazz")
        for format in [AudioFileFormat.flac, .vorbis, .wav] {
            let path = try Signals.writeFile(folder.file("tagged.\(format.fileExtension)"), format: format, rate: 44_100,
                                             channels: [Signals.sine(frequency: 440, seconds: 0.5, rate: 44_100)], tags: tags)
            let read = try SoundFile(path: path).tags
            #expect(read.title == tags.title, "\(format)")
            #expect(read.artist == tags.artist, "\(format)")
            #expect(read.year == 1987, "\(format)")
        }
    }

    @Test func surroundChannelsAreAveraged() throws {
        let channels = (0..<6).map { [Float](repeating: Float($0) / 10, count: 8_000) }
        let path = try Signals.writeFile(folder.file("six.wav"), format: .wav, rate: 8_000, channels: channels)
        let samples = try AudioDecoder(path: path, outputRate: 8_000).readAll()
        #expect(samples.count == 8_000)
        #expect(abs(samples[4_000] - 0.25) < 1e-3)
    }

    @Test(arguments: [8_000, 11_025, 32_000, 96_000, 192_000])
    func everyRateIsResampledWithoutChangingPitch(rate: Int) throws {
        let path = try Signals.writeFile(folder.file("rate\(rate).wav"), format: .wav, rate: rate,
                                         channels: [Signals.sine(frequency: 1_000, seconds: 1, rate: rate)])
        let samples = try AudioDecoder(path: path, outputRate: 22_050).readAll()
        #expect(abs(samples.count - 22_050) <= 1)
        // Count rising zero crossings over the settled middle: 1 kHz gives 1000 a second.
        let middle = Array(samples[2_205..<19_845])
        let crossings = zip(middle, middle.dropFirst()).filter { $0 < 0 && $1 >= 0 }.count
        #expect(abs(Double(crossings) / 0.8 - 1_000) < 3)
    }

    @Test(arguments: [AudioFileFormat.wav, .flac])
    func clipsHoldExactlyTheSamplesOfAFullDecode(format: AudioFileFormat) throws {
        let music = Signals.melody(seconds: 8, rate: 48_000)
        let path = try Signals.writeFile(folder.file("clip.\(format.fileExtension)"), format: format, rate: 48_000, channels: [music])
        let whole = try AudioDecoder(path: path, outputRate: 22_050).readAll()
        let decoder = try AudioDecoder(path: path, outputRate: 22_050)
        for (start, length) in [(0.0, 1.0), (2.5, 1.5), (5.123, 2.0)] {
            let clip = try decoder.readClip(start: start, duration: length)
            let first = Int((start * 22_050).rounded())
            #expect(clip.count == Int((length * 22_050).rounded()))
            #expect(clip == Array(whole[first..<(first + clip.count)]), "clip at \(start)")
        }
        #expect(try decoder.readClip(start: 7.5, duration: 2).count == 11_025)
        #expect(try decoder.readClip(start: 9, duration: 2).isEmpty)
    }

    @Test func compressedClipsStayCloseToTheFullDecode() throws {
        let music = Signals.melody(seconds: 8, rate: 44_100)
        let path = try Signals.writeFile(folder.file("clip.ogg"), format: .vorbis, rate: 44_100, channels: [music])
        let whole = try AudioDecoder(path: path, outputRate: 22_050).readAll()
        let clip = try AudioDecoder(path: path, outputRate: 22_050).readClip(start: 3, duration: 2)
        let reference = whole[66_150..<(66_150 + clip.count)]
        let difference = zip(clip, reference).map { $0 - $1 }
        #expect(Signals.levelDB(difference[...]) < Signals.levelDB(reference) - 40)
    }

    @Test func longFilesStreamInSmallBlocks() throws {
        try Corpus.writeSilence(folder.file("hour.flac"), hours: 1, rate: 8_000)
        let decoder = try AudioDecoder(path: PathBytes(folder.file("hour.flac")), outputRate: 22_050)
        #expect(abs(decoder.info.duration - 3_600) < 0.01)
        var largest = 0
        var total = 0
        for _ in 0..<100 {
            let block = decoder.nextBlock()
            largest = max(largest, block.count)
            total += block.count
        }
        #expect(largest < 22_050, "blocks stay well under a second")
        try decoder.seek(toSecond: 3_599)
        var tail = 0
        while true {
            let block = decoder.nextBlock()
            if block.isEmpty { break }
            tail += block.count
        }
        #expect(abs(tail - 22_050) < 100)
        #expect(total > 0)
    }

    @Test func invalidSamplesBecomeSilenceAndAreCounted() throws {
        var samples = Signals.sine(frequency: 440, seconds: 1, rate: 22_050)
        samples[100] = .nan
        samples[200] = .infinity
        let path = PathBytes(folder.file("nan.wav"))
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 22_050, channels: 1, pcmSubtype: 0x0006) // SF_FORMAT_FLOAT
        try writer.write(interleaved: samples)
        writer.close()
        let decoder = try AudioDecoder(path: path, outputRate: 22_050)
        let decoded = decoder.readAll()
        #expect(decoder.nonFiniteSamples == 2)
        #expect(decoded.allSatisfy { $0.isFinite })
    }

    @Test func unreadableAndBogusFilesSayWhy() throws {
        _ = FileManager.default.createFile(atPath: folder.file("empty.wav"), contents: Data())
        _ = FileManager.default.createFile(atPath: folder.file("text.mp3"), contents: Data("hello, this is text".utf8))
        for name in ["empty.wav", "text.mp3", "missing.flac"] {
            #expect {
                _ = try AudioDecoder(path: PathBytes(folder.file(name)), outputRate: 22_050)
            } throws: { error in
                "\(error)".contains("cannot open") && "\(error)".contains(name)
            }
        }
    }

    /// Decoded audio can overshoot full scale; written to an integer format it is clipped, not refused.
    @Test func samplesBeyondFullScaleAreClippedWhenWritten() throws {
        let path = PathBytes(folder.file("loud.flac"))
        let writer = try SoundFileWriter(path: path, format: .flac, sampleRate: 22_050, channels: 1)
        try writer.write(interleaved: Signals.sine(frequency: 440, seconds: 0.5, rate: 22_050, amplitude: 1.5))
        writer.close()
        let decoded = try AudioDecoder(path: path, outputRate: 22_050).readAll()
        #expect(decoded.count == 11_025)
        #expect(decoded.map(abs).max()! > 0.99 && decoded.map(abs).max()! <= 1)
    }

    @Test func pathsThatAreNotUTF8StillOpen() throws {
        let path = PathBytes(bytes: Array(folder.path.utf8) + [0x2F, 0x66, 0xE9, 0xFF, 0x2E, 0x77, 0x61, 0x76])
        #expect(!path.isValidUTF8)
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 22_050, channels: 1)
        try writer.write(interleaved: Signals.sine(frequency: 440, seconds: 0.5, rate: 22_050))
        writer.close()
        #expect(try AudioDecoder(path: path, outputRate: 22_050).readAll().count == 11_025)
        #expect(path.description.contains("\u{FFFD}"))
    }
}
