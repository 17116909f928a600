import ArgumentParser
import AudioIO
import COpenBLAS
import DSP
import Encoders
import Foundation
import LibraryIndex
import ModelCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the hot paths and print figures (tools/bench.sh puts them beside the Python references).",
        discussion: """
            decode       decode + mono + resample to 22,050 Hz of 10-minute files, per format (× real time)
            spectrogram  96-band log-mel of 10 minutes at 22,050 Hz (× real time)
            similar      exact cosine top-20 over N random 512-d vectors (ms per query, queries/s in batches)
            index        a whole `soundmap index` run over a folder of music (× real time)
            model        sgemm peak, then CNN inference and contrastive training steps (spectrogram CNN,
                         SampleCNN) in examples/s and GFLOP/s
            musicnn      the musicnn network alone over every patch of a folder's audio (× real time)
            umap         UMAP to 2-D (euclidean, cosine) on the mixture_N.npy that tools/bench_umap_reference.py wrote in --dir (s)
            hdbscan      HDBSCAN (min_cluster_size 15) on the blobs_N.npy that tools/bench_hdbscan_reference.py wrote in --dir (s)
            gboost       gradient-boosted trees on the 4,800 × 512 set tools/bench_gboost_reference.py wrote in --dir (s, MAE)
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case decode, spectrogram, similar, index, model, musicnn, umap, hdbscan, gboost }

    @Argument(help: "decode, spectrogram, similar, index, model, musicnn, umap, hdbscan or gboost.")
    var kind: Kind

    @Flag(help: "Print JSON lines (bench, case, tool, value, unit).")
    var json = false

    @Option(help: ArgumentHelp("decode: where the test files are made (and kept); index, musicnn: the music folder; umap, hdbscan, gboost: the reference script's inputs.", valueName: "folder"))
    var dir: String?

    @Option(help: "similar: library sizes, comma separated.")
    var sizes: String = "10000,100000,1000000"

    @Option(help: "similar: dimensions.")
    var dim: Int = 512

    @Option(help: "Timed repetitions (the median is reported).")
    var reps: Int = 3

    func run() throws {
        var bench = Benchmark(json: json, reps: max(1, reps))
        switch kind {
        case .decode:
            try bench.decode(folder: dir ?? ".build/bench-work")
        case .spectrogram:
            bench.spectrogram()
        case .similar:
            bench.similar(sizes: sizes.split(separator: ",").compactMap { Int($0) }, dimension: dim)
        case .index:
            guard let dir else { throw CLIError("bench index needs --dir MUSIC_FOLDER") }
            try bench.index(folder: dir)
        case .model:
            bench.model()
        case .musicnn:
            guard let dir else { throw CLIError("bench musicnn needs --dir MUSIC_FOLDER") }
            try bench.musicnn(folder: dir)
        case .umap:
            try bench.umap(folder: dir ?? temporaryFolder("umap-bench"))
        case .hdbscan:
            try bench.hdbscan(folder: dir ?? temporaryFolder("hdbscan-bench"))
        case .gboost:
            try bench.gboost(folder: dir ?? temporaryFolder("soundmap-gboost"))
        }
    }

    /// Where the reference scripts write their inputs when not told (their default too).
    private func temporaryFolder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    }
}

/// Timing and reporting for `soundmap bench`.
struct Benchmark {
    let json: Bool
    let reps: Int

    func report(_ bench: String, _ caseName: String, _ value: Double, _ unit: String, extra: [String: String] = [:]) {
        if json {
            var fields = ["\"bench\": \"\(bench)\"", "\"case\": \"\(caseName)\"", "\"tool\": \"soundmap\"",
                          "\"value\": \(String(format: "%.4f", value))", "\"unit\": \"\(unit)\""]
            fields += extra.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print(fit(bench, 12) + fit(caseName, 36) + String(format: value < 10 ? "%12.3f " : "%12.1f ", value) + unit)
        }
    }

    /// Median wall time of `reps` runs after one warm-up.
    func median(_ body: () throws -> Void) rethrows -> Double {
        let times = try wallTimes(body).sorted()
        return times[times.count / 2]
    }

    /// The fastest of `reps` runs after a warm-up, as the map's reference scripts report.
    func fastest(_ body: () throws -> Void) rethrows -> Double {
        try wallTimes(body).min()!
    }

    /// Seconds of each of `reps` runs of `body`, after one untimed warm-up run.
    private func wallTimes(_ body: () throws -> Void) rethrows -> [Double] {
        try body()
        return try (0..<reps).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    /// Ten minutes of test audio: noise, three repeating log chirps and a tone.
    static func testSignal(seconds: Double, rate: Int, channel: Int = 0) -> [Float] {
        var generator = SeededRandom(seed: UInt64(channel + 1))
        let count = Int(seconds * Double(rate))
        let period = 10.0
        let growth = log(8000.0 / 60) / period
        var samples = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let time = Double(index) / Double(rate) + Double(channel) * 0.028
            var value = 0.1 * Double.random(in: -1...1, using: &generator)
            for (offset, phase) in [0.0, 3.3, 6.6].enumerated() {
                let local = (time + phase).truncatingRemainder(dividingBy: period)
                value += 0.2 * sin(2 * Double.pi * 60 * (exp(growth * local) - 1) / growth + Double(offset))
            }
            value += 0.1 * sin(2 * Double.pi * 440 * time)
            samples[index] = Float(value * 0.9 / 0.8)
        }
        return samples
    }

    mutating func decode(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let seconds = 600.0
        let rate = 44_100
        let formats: [AudioFileFormat] = [.flac, .vorbis, .mp3, .wav]
        for format in formats {
            let path = "\(folder)/bench-10min.\(format.fileExtension)"
            if !FileManager.default.fileExists(atPath: path) {
                printError("making \(path)…")
                let channels = [Self.testSignal(seconds: seconds, rate: rate), Self.testSignal(seconds: seconds, rate: rate, channel: 1)]
                let writer = try SoundFileWriter(path: PathBytes(path), format: format, sampleRate: rate, channels: 2)
                var interleaved = [Float](repeating: 0, count: channels[0].count * 2)
                for index in 0..<channels[0].count {
                    interleaved[2 * index] = channels[0][index]
                    interleaved[2 * index + 1] = channels[1][index]
                }
                try writer.write(interleaved: interleaved)
                writer.close()
            }
        }
        for format in formats {
            let path = PathBytes("\(folder)/bench-10min.\(format.fileExtension)")
            var duration = 0.0
            let full = try median {
                let decoder = try AudioDecoder(path: path, outputRate: 22_050)
                while !decoder.nextBlock().isEmpty {}
                duration = decoder.secondsRead
            }
            report("decode", format.fileExtension, duration / full, "x realtime")
            let raw = try median {
                let file = try SoundFile(path: path)
                var buffer = [Float](repeating: 0, count: 4096 * file.info.channels)
                while buffer.withUnsafeMutableBufferPointer({ file.read(into: $0.baseAddress!, frames: 4096) }) > 0 {}
            }
            report("decode", format.fileExtension + ",decode-only", duration / raw, "x realtime")
        }
    }

    func spectrogram() {
        let seconds = 600.0
        var logMel = SpectrogramConfiguration.standardLogMel
        logMel.compression = .natural(offset: 1e-6)
        let configuration = logMel
        let signal = Self.testSignal(seconds: seconds, rate: configuration.sampleRate)
        let one = median { _ = configuration.spectrogram(of: signal) }
        report("spectrogram", "logmel,threads=1", seconds / one, "x realtime")
        // Two streams at once, as indexing runs one file per core.
        let halves = [Array(signal[..<(signal.count / 2)]), Array(signal[(signal.count / 2)...])]
        let two = median {
            DispatchQueue.concurrentPerform(iterations: 2) { index in _ = configuration.spectrogram(of: halves[index]) }
        }
        report("spectrogram", "logmel,threads=2", seconds / two, "x realtime")
    }

    func similar(sizes: [Int], dimension: Int) {
        var generator = SeededRandom(seed: 42)
        let model = ModelRecord(id: 0, name: "bench", version: 1, dimension: dimension, standardize: false, summary: "", createdAt: 0)
        for size in sizes {
            var values = [Float](repeating: 0, count: size * dimension)
            for index in values.indices { values[index] = Float.random(in: -1...1, using: &generator) }
            let matrix = EmbeddingMatrix(model: model, ids: (0..<size).map(Int64.init),
                                         rawRows: Matrix(rows: size, columns: dimension, values: values))
            let queries = (0..<20).map { _ in matrix.prepared((0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }) }
            let batchCount = 1000
            let batch = Matrix(rows: batchCount, columns: dimension,
                               values: (0..<batchCount).flatMap { _ in matrix.prepared((0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }) })
            for threads in [1, 2] {
                openblas_set_num_threads(Int32(threads))
                var latencies: [Double] = []
                for query in queries {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = matrix.nearest(to: query, k: 20)
                    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
                report("similar", "N=\(size),threads=\(threads)", latencies.sorted()[latencies.count / 2], "ms")
                let batchTime = median { _ = matrix.nearest(toMany: batch, k: 20) }
                report("similar", "N=\(size),threads=\(threads),batch=\(batchCount)", Double(batchCount) / batchTime, "queries/s")
            }
        }
    }

    func index(folder: String) throws {
        let baseline = BaselineEncoder()
        try index(folder: folder, encoder: baseline, caseName: baseline.descriptor.name)
        let musicnn = try EncoderCatalog.encoder(named: EncoderCatalog.defaultName)
        try index(folder: folder, encoder: musicnn, caseName: musicnn.descriptor.name)
        // One long song alone: its patches are shared out, so it still keeps both cores busy.
        let scratch = NSTemporaryDirectory() + "/soundmap-bench-song-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try writeLongSong(from: folder, to: scratch + "/long song.flac")
        for threads in [1, 2] {
            try index(folder: scratch, encoder: musicnn, threads: threads,
                      caseName: "\(musicnn.descriptor.name),one long song,threads=\(threads)")
        }
    }

    /// The folder's songs one after another as one FLAC of up to 9 minutes (heard whole, not
    /// through excerpts), at 44.1 kHz so that indexing it resamples as usual.
    private func writeLongSong(from folder: String, to path: String) throws {
        let rate = 44_100, limit = 9 * 60 * rate
        let writer = try SoundFileWriter(path: PathBytes(path), format: .flac, sampleRate: rate, channels: 1)
        defer { writer.close() }
        var written = 0
        for file in try FileScanner.scan(roots: [PathBytes(folder)]).audioFiles where written < limit {
            guard let samples = try? AudioDecoder(path: file.path, outputRate: rate).readAll() else { continue }
            let kept = samples.prefix(limit - written)
            try writer.write(interleaved: Array(kept))
            written += kept.count
        }
        guard written > 0 else { throw CLIError("bench index: no audio file in \(folder)") }
    }

    /// A whole indexing run into a fresh index, in × real time; with a patch encoder, also the
    /// patches per forward call.
    private func index(folder: String, encoder: any SongEncoder, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                       caseName: String) throws {
        let scratch = NSTemporaryDirectory() + "/soundmap-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var runs: [IndexSummary] = []
        for _ in 0..<reps {
            try? FileManager.default.removeItem(atPath: scratch)
            let database = try LibraryDatabase(path: scratch + "/library.sqlite")
            runs.append(try Indexer(database: database, encoder: encoder, threads: threads).run(roots: [PathBytes(folder)]))
        }
        let throughputs = runs.map { $0.audioSeconds / $0.elapsed }
        let last = runs[runs.count - 1]
        var extra = ["audio_seconds": String(format: "%.1f", last.audioSeconds)]
        if last.forwardCalls > 0 { extra["patches_per_call"] = String(format: "%.2f", Double(last.patchesRun) / Double(last.forwardCalls)) }
        report("index", caseName, throughputs.sorted()[throughputs.count / 2], "x realtime", extra: extra)
    }
}

