import AudioIO
import DSP
#if canImport(Glibc)
import Glibc
#endif

/// The baseline: summary statistics of the log-mel spectrogram, no learning involved.
///
/// Per mel band: mean and standard deviation of the log energy, mean absolute and standard
/// deviation of its frame-to-frame change; plus mean and standard deviation of 20 cepstral
/// coefficients (the DCT of each log-mel frame). Frames below −60 dBFS are left out, so
/// silence between tracks or at the ends of a file never shapes the vector. The neural
/// encoders must beat this floor.
public struct BaselineEncoder: SongEncoder {
    public static let cepstralCount = 20
    public static let silenceThreshold: Float = -60
    /// Less audible sound than this and a file is reported silent instead of embedded.
    public static let minimumAudibleSeconds = 1.0

    public let spectrogram: SpectrogramConfiguration
    public let plan: AnalysisPlan
    /// Songs are also described clip by clip, for clip search and for playing the matching moment.
    public static let clipSeconds = 30.0

    /// The standard log-mel with its dB floor raised from −100 dB to −50 dB: a full-scale sine
    /// reads about +30 dB in a mel band, so the floor sits near −80 dBFS. Bands quieter than
    /// that (empty in synthetic or band-limited audio) would otherwise swing the statistics by
    /// 50 dB of inaudible differences.
    public static let frontEnd: SpectrogramConfiguration = {
        var configuration = SpectrogramConfiguration.standardLogMel
        configuration.compression = .decibels(floor: 1e-5)
        return configuration
    }()

    public init(spectrogram: SpectrogramConfiguration = BaselineEncoder.frontEnd, plan: AnalysisPlan = AnalysisPlan()) {
        self.spectrogram = spectrogram
        self.plan = plan
    }

    public var sampleRate: Int { spectrogram.sampleRate }

    public var descriptor: ModelDescriptor {
        let bands = spectrogram.bandCount
        return ModelDescriptor(name: "baseline", version: 1, dimension: 4 * bands + 2 * Self.cepstralCount,
                               standardize: true,
                               summary: "log-mel statistics (\(bands) bands): mean, spread and change per band, cepstral summary")
    }

    public func embed(_ decoder: AudioDecoder, progress: (Double) -> Void) throws -> SongEmbedding {
        var song = makeStatistics()
        var clips: [ClipEmbedding] = []
        if let duration = decoder.info.knownDuration, let starts = plan.excerptStarts(duration: duration) {
            for start in starts {
                let samples = try decoder.readClip(start: start, duration: plan.excerptSeconds)
                var clip = makeStatistics()
                song.startSegment()
                accumulate(samples) { rows in
                    song.add(rows)
                    clip.add(rows)
                }
                if let vector = try? clip.embedding().vector {
                    clips.append(ClipEmbedding(start: start, length: Double(samples.count) / Double(sampleRate), vector: vector))
                }
                progress(start + plan.excerptSeconds)
            }
        } else {
            let framesPerClip = Int(Self.clipSeconds * spectrogram.framesPerSecond)
            var clip = makeStatistics()
            var clipStartFrame = 0
            let closeClip = { (endFrame: Int) in
                let start = Double(clipStartFrame) / spectrogram.framesPerSecond
                if let vector = try? clip.embedding().vector {
                    clips.append(ClipEmbedding(start: start, length: Double(endFrame - clipStartFrame) / spectrogram.framesPerSecond,
                                               vector: vector))
                }
                clip = makeStatistics()
                clipStartFrame = endFrame
            }
            let consume = { (rows: SpectrogramRows) in
                song.add(rows)
                // Rows arrive eight frames at a time: a clip ends at the first block boundary past its length.
                if rows.firstFrame >= clipStartFrame + framesPerClip { closeClip(rows.firstFrame) }
                clip.add(rows)
            }
            let stream = SpectrogramStream(configuration: spectrogram)
            while true {
                let block = decoder.nextBlock()
                if block.isEmpty { break }
                stream.append(block, consumer: consume)
                progress(decoder.secondsRead)
            }
            stream.finish(consumer: consume)
            closeClip(stream.framesEmitted)
        }
        var embedding = try song.embedding()
        embedding.clips = clips
        return embedding
    }

    public func embed(samples: [Float]) throws -> SongEmbedding {
        var statistics = makeStatistics()
        accumulate(samples) { statistics.add($0) }
        return try statistics.embedding()
    }

    private func makeStatistics() -> LogMelStatistics {
        LogMelStatistics(bands: spectrogram.bandCount, framesPerSecond: spectrogram.framesPerSecond)
    }

    private func accumulate(_ samples: [Float], consumer: (SpectrogramRows) -> Void) {
        let stream = SpectrogramStream(configuration: spectrogram)
        stream.append(samples, consumer: consumer)
        stream.finish(consumer: consumer)
    }
}

/// Running sums over log-mel frames, in double precision so hour-long inputs stay exact enough.
struct LogMelStatistics {
    let bands: Int
    let framesPerSecond: Double
    private let cosineTable: [Float]
    private var sum: [Double]
    private var sumOfSquares: [Double]
    private var changeAbsoluteSum: [Double]
    private var changeSum: [Double]
    private var changeSumOfSquares: [Double]
    private var cepstralSum: [Double]
    private var cepstralSumOfSquares: [Double]
    private var previous: [Float]
    private var hasPrevious = false
    private var audibleFrames = 0
    private var changeFrames = 0
    private var totalFrames = 0

    /// Changes are never measured across the gap between two excerpts.
    mutating func startSegment() { hasPrevious = false }

    init(bands: Int, framesPerSecond: Double) {
        self.bands = bands
        self.framesPerSecond = framesPerSecond
        let cepstra = BaselineEncoder.cepstralCount
        // Orthonormal DCT-II rows, as scipy.fft.dct(norm="ortho").
        var table = [Float](repeating: 0, count: cepstra * bands)
        for k in 0..<cepstra {
            let scale = k == 0 ? (1 / Double(bands)).squareRoot() : (2 / Double(bands)).squareRoot()
            for n in 0..<bands {
                table[k * bands + n] = Float(scale * cos(Double.pi * Double(k) * (2 * Double(n) + 1) / (2 * Double(bands))))
            }
        }
        cosineTable = table
        sum = [Double](repeating: 0, count: bands)
        sumOfSquares = sum
        changeAbsoluteSum = sum
        changeSum = sum
        changeSumOfSquares = sum
        cepstralSum = [Double](repeating: 0, count: cepstra)
        cepstralSumOfSquares = cepstralSum
        previous = [Float](repeating: 0, count: bands)
    }

    mutating func add(_ rows: SpectrogramRows) {
        let cepstra = BaselineEncoder.cepstralCount
        for frame in 0..<rows.frameCount {
            totalFrames += 1
            guard rows.levels[frame] >= BaselineEncoder.silenceThreshold else {
                hasPrevious = false
                continue
            }
            let row = rows.row(frame)
            audibleFrames += 1
            for band in 0..<bands {
                let value = Double(row[band])
                sum[band] += value
                sumOfSquares[band] += value * value
            }
            if hasPrevious {
                changeFrames += 1
                for band in 0..<bands {
                    let change = Double(row[band] - previous[band])
                    changeAbsoluteSum[band] += abs(change)
                    changeSum[band] += change
                    changeSumOfSquares[band] += change * change
                }
            }
            cosineTable.withUnsafeBufferPointer { table in
                for k in 0..<cepstra {
                    let coefficient = Double(dotProduct(table.baseAddress! + k * bands, row.baseAddress!, count: bands))
                    cepstralSum[k] += coefficient
                    cepstralSumOfSquares[k] += coefficient * coefficient
                }
            }
            for band in 0..<bands { previous[band] = row[band] }
            hasPrevious = true
        }
    }

    func embedding() throws -> SongEmbedding {
        let analyzed = Double(totalFrames) / framesPerSecond
        let audible = Double(audibleFrames) / framesPerSecond
        if totalFrames == 0 { throw EncoderError.noAudio(reason: "the file holds no samples") }
        if analyzed < BaselineEncoder.minimumAudibleSeconds { throw EncoderError.tooShort(seconds: analyzed) }
        if audible < BaselineEncoder.minimumAudibleSeconds { throw EncoderError.silent(audibleSeconds: audible) }
        func mean(_ total: [Double], _ count: Int) -> [Float] { total.map { Float($0 / Double(max(count, 1))) } }
        func deviation(_ total: [Double], _ squares: [Double], _ count: Int) -> [Float] {
            zip(total, squares).map { total, squares in
                let average = total / Double(max(count, 1))
                return Float(max(0, squares / Double(max(count, 1)) - average * average).squareRoot())
            }
        }
        var vector = mean(sum, audibleFrames)
        vector += deviation(sum, sumOfSquares, audibleFrames)
        vector += mean(changeAbsoluteSum, changeFrames)
        vector += deviation(changeSum, changeSumOfSquares, changeFrames)
        vector += mean(cepstralSum, audibleFrames)
        vector += deviation(cepstralSum, cepstralSumOfSquares, audibleFrames)
        precondition(vector.allSatisfy(\.isFinite), "baseline statistics produced a non-finite value")
        return SongEmbedding(vector: vector, analyzedSeconds: analyzed, audibleSeconds: audible)
    }
}
