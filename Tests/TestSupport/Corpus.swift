import AudioIO
import Foundation

/// Folders of generated, real audio files for index and end-to-end tests.
public enum Corpus {
    /// `count` short songs in a few styles, as FLAC, Ogg Vorbis, WAV and MP3, with tags.
    @discardableResult
    public static func songs(in folder: String, count: Int, seconds: Double = 4, firstSeed: UInt64 = 1) throws -> [String] {
        let formats: [AudioFileFormat] = [.flac, .vorbis, .wav, .mp3]
        var paths: [String] = []
        for index in 0..<count {
            let seed = firstSeed + UInt64(index)
            let format = formats[index % formats.count]
            let style = index % 3
            let samples: [Float]
            switch style {
            case 0: samples = Signals.melody(seconds: seconds, rate: 44_100, root: 110 * Double(1 + index % 4), tempo: 90 + Double(index % 5) * 20, seed: seed)
            case 1: samples = zip(Signals.noise(seconds: seconds, rate: 44_100, amplitude: 0.2, seed: seed),
                                  Signals.sine(frequency: 60 + Double(index) * 7, seconds: seconds, rate: 44_100)).map { $0 + $1 }
            default: samples = Signals.logSweep(from: 200 + Double(index) * 10, to: 6000, seconds: seconds, rate: 44_100, amplitude: 0.4)
            }
            let path = "\(folder)/song \(index) style\(style).\(format.fileExtension)"
            try Signals.writeFile(path, format: format, rate: 44_100, channels: [samples, samples],
                                  tags: AudioTags(title: "Song \(index)", artist: "Artist \(style)", album: "Album", date: "\(1990 + index)"))
            paths.append(path)
        }
        return paths
    }

    /// What a bad-input file is expected to do when indexed.
    public enum Expectation: Equatable, Sendable {
        /// Indexed with a vector.
        case indexed
        /// Reported as failed, with a reason containing this text.
        case failed(reasonContains: String)
    }

    public struct BadFile: Sendable {
        public let path: PathBytes
        public let expectation: Expectation
    }

    /// The bad inputs every part of Soundmap must survive.
    ///
    /// The permission case depends on who runs the tests: root reads any file, so there the
    /// unreadable file is expected to index normally.
    public static func badInputs(in folder: String, includeTenHourFile: Bool = true) throws -> [BadFile] {
        var files: [BadFile] = []
        func path(_ name: String) -> String { folder + "/" + name }
        let music = Signals.melody(seconds: 6, rate: 44_100)

        _ = FileManager.default.createFile(atPath: path("empty.flac"), contents: Data())
        files.append(BadFile(path: PathBytes(path("empty.flac")), expectation: .failed(reasonContains: "cannot open")))

        _ = FileManager.default.createFile(atPath: path("notes.mp3"), contents: Data(String(repeating: "not audio at all\n", count: 200).utf8))
        files.append(BadFile(path: PathBytes(path("notes.mp3")), expectation: .failed(reasonContains: "cannot open")))

        for format in [AudioFileFormat.flac, .mp3, .vorbis] {
            let name = "truncated.\(format.fileExtension)"
            try Signals.writeFile(path(name), format: format, rate: 44_100, channels: [music, music])
            try truncate(path(name), keeping: 0.6)
            files.append(BadFile(path: PathBytes(path(name)), expectation: .indexed))
        }

        // A WAV whose header promises twice the data it holds.
        try Signals.writeFile(path("lying header.wav"), format: .wav, rate: 44_100, channels: [music])
        try truncate(path("lying header.wav"), keeping: 0.5)
        files.append(BadFile(path: PathBytes(path("lying header.wav")), expectation: .indexed))

        try Signals.writeFile(path("locked.wav"), format: .wav, rate: 22_050, channels: [Signals.melody(seconds: 3, rate: 22_050)])
        chmod(path("locked.wav"), 0)
        files.append(BadFile(path: PathBytes(path("locked.wav")),
                             expectation: geteuid() == 0 ? .indexed : .failed(reasonContains: "permission denied")))

        for name in ["with spaces and 'quotes' \"double\".flac", "line\nbreak.flac", "ünïcödé — 曲.flac"] {
            try Signals.writeFile(path(name), format: .flac, rate: 44_100, channels: [Signals.melody(seconds: 3, rate: 44_100, seed: 9)])
            files.append(BadFile(path: PathBytes(path(name)), expectation: .indexed))
        }
        // Latin-1 bytes: not valid UTF-8.
        let latin1 = PathBytes(bytes: Array(folder.utf8) + Array("/caf".utf8) + [0xE9] + Array(" latin1.flac".utf8))
        let writer = try SoundFileWriter(path: latin1, format: .flac, sampleRate: 44_100, channels: 1)
        try writer.write(interleaved: Signals.melody(seconds: 3, rate: 44_100, seed: 11))
        writer.close()
        files.append(BadFile(path: latin1, expectation: .indexed))

        try Signals.writeFile(path("one sample.wav"), format: .wav, rate: 44_100, channels: [[0.5]])
        files.append(BadFile(path: PathBytes(path("one sample.wav")), expectation: .failed(reasonContains: "too short")))

        try Signals.writeFile(path("digital silence.flac"), format: .flac, rate: 44_100, channels: [[Float](repeating: 0, count: 44_100 * 5)])
        files.append(BadFile(path: PathBytes(path("digital silence.flac")), expectation: .failed(reasonContains: "silent")))

        let surround = (0..<6).map { Signals.melody(seconds: 3, rate: 48_000, root: 110 * Double($0 + 1), seed: UInt64($0)) }
        try Signals.writeFile(path("surround 5.1.wav"), format: .wav, rate: 48_000, channels: surround)
        files.append(BadFile(path: PathBytes(path("surround 5.1.wav")), expectation: .indexed))

        try Signals.writeFile(path("telephone 8k.wav"), format: .wav, rate: 8_000, channels: [Signals.melody(seconds: 4, rate: 8_000)])
        files.append(BadFile(path: PathBytes(path("telephone 8k.wav")), expectation: .indexed))

        if includeTenHourFile {
            try writeSilence(path("ten hours of silence.flac"), hours: 10, rate: 8_000)
            files.append(BadFile(path: PathBytes(path("ten hours of silence.flac")), expectation: .failed(reasonContains: "silent")))
        }
        return files
    }

    /// A long silent FLAC, written block by block (digital silence compresses to almost nothing).
    public static func writeSilence(_ path: String, hours: Double, rate: Int) throws {
        let writer = try SoundFileWriter(path: PathBytes(path), format: .flac, sampleRate: rate, channels: 1)
        let block = [Float](repeating: 0, count: rate * 60)
        for _ in 0..<Int(hours * 60) { try writer.write(interleaved: block) }
        writer.close()
    }

    public static func truncate(_ path: String, keeping fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }
}
