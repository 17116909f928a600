import AudioIO
import COpenBLAS
import Encoders
import Foundation
import GRDB

/// Where an indexing run stands, for the progress bar.
public struct IndexProgress: Sendable {
    public var filesDone = 0
    public var filesTotal = 0
    public var bytesDone: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var audioSeconds = 0.0
    public var elapsed = 0.0
    public var lastFile: String?
}

/// What an indexing run did.
public struct IndexSummary: Sendable {
    public var added = 0
    public var updated = 0
    public var moved = 0
    public var unchanged = 0
    public var removed = 0
    public var failed: [(path: String, reason: String)] = []
    public var warnings: [(path: String, warning: String)] = []
    public var unsupported: [(path: String, format: String)] = []
    public var scanProblems: [(path: String, reason: String)] = []
    /// Files still waiting when the run was interrupted.
    public var remaining = 0
    public var audioSeconds = 0.0
    public var elapsed = 0.0
    public var interrupted = false
    /// Forward calls of a patch encoder's network, and the patches they ran (0 for other encoders).
    public var forwardCalls = 0
    public var patchesRun = 0
}

/// Brings the index up to date with music folders.
///
/// A run scans the folders, compares each file's size and modification time with the
/// index, drops songs whose files are gone (keeping the vectors of files that were only
/// moved), and decodes and embeds new or changed files on all cores. Each song is written
/// in one transaction together with its vectors, so an interrupted run leaves no partial
/// song and the next run simply continues.
///
/// A file that crashes the process (a decoder bug) is named in a crash journal (see
/// `CrashJournal`); the next run marks it failed instead of crashing again on it.
public final class Indexer {
    public let database: LibraryDatabase
    public let encoder: any SongEncoder
    public var threads: Int

    public init(database: LibraryDatabase, encoder: any SongEncoder,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.database = database
        self.encoder = encoder
        self.threads = threads
    }

    struct Job: Sendable {
        var file: ScannedFile
        var songID: Int64?
        var fingerprint: String?
        var sidecarTags: AudioTags?
        var isUpdate: Bool
    }

    enum Outcome: Sendable {
        case embedded(info: SoundFileInfo, tags: AudioTags, duration: Double, embedding: SongEmbedding, warning: String?)
        case failed(reason: String, info: SoundFileInfo?)
    }

    struct JobResult: Sendable {
        var job: Job
        var fingerprint: String
        var outcome: Outcome
    }

    public func run(roots: [PathBytes], metadata: SidecarMetadata? = nil, retryFailed: Bool = false,
                    cancellation: CancellationFlag = CancellationFlag(),
                    progress: (IndexProgress) -> Void = { _ in }) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        let scan = try FileScanner.scan(roots: roots)
        summary.unsupported = scan.unsupported.map { ($0.path.description, $0.format) }
        summary.scanProblems = scan.problems.map { ($0.path.description, $0.reason) }
        let resolvedRoots = roots.compactMap { $0.resolved() }
        var sidecar = metadata
        for root in resolvedRoots {
            let conventional = root.appending(component: Array(SidecarMetadata.conventionalName.utf8)).description
            if FileManager.default.fileExists(atPath: conventional) {
                let found = try SidecarMetadata(contentsOf: conventional)
                if sidecar == nil { sidecar = found } else { sidecar!.merge(found) }
            }
        }
        let modelID = try database.modelID(for: encoder.descriptor)
        let journal = CrashJournal(indexPath: database.path)
        let crashed = journal.takeRecordedCrashes()
        var jobs = try makePlan(scan: scan, roots: resolvedRoots, modelID: modelID, sidecar: sidecar,
                                retryFailed: retryFailed, summary: &summary)
        let ranksFilters = encoder.descriptor.filterCount > 0
        if ranksFilters && (!jobs.isEmpty || summary.removed > 0) {
            try FilterRankings.markStale(modelID: modelID, in: database)
        }
        if !retryFailed {
            for job in jobs where crashed.contains(job.file.path) {
                let reason = "crashed Soundmap while being decoded (a decoder bug on this file); skipped — use --retry-failed to try again"
                try store(JobResult(job: job, fingerprint: job.fingerprint ?? "", outcome: .failed(reason: reason, info: nil)),
                          modelID: modelID, summary: &summary)
            }
            jobs.removeAll { crashed.contains($0.file.path) }
        }
        journal.install()

        var state = IndexProgress(filesTotal: jobs.count, bytesTotal: jobs.reduce(0) { $0 + $1.file.size })
        progress(state)
        let receive = { (result: JobResult) throws in
            try self.store(result, modelID: modelID, summary: &summary)
            state.filesDone += 1
            state.bytesDone += result.job.file.size
            if case .embedded(_, _, let duration, _, _) = result.outcome { state.audioSeconds += duration }
            state.elapsed = Date().timeIntervalSince(started)
            state.lastFile = result.job.file.path.description
            progress(state)
        }
        // One file per core: BLAS inside each worker must then stay on its own core. Its threads come
        // back afterwards, for the map that an index run goes on to compute.
        let blasThreads = openblas_get_num_threads()
        if threads > 1 { openblas_set_num_threads(1) }
        defer { openblas_set_num_threads(blasThreads) }
        if let patchEncoder = encoder as? any PatchEncoder {
            let pipeline = PatchPipeline(encoder: patchEncoder, jobs: jobs, threads: max(1, threads), cancellation: cancellation)
            try pipeline.run(receive: receive)
            summary.forwardCalls = pipeline.forwardCalls
            summary.patchesRun = pipeline.patchesRun
        } else {
            let encoder = self.encoder
            try runWorkerPool(jobs: jobs, threads: threads, cancellation: cancellation, work: { job in
                CrashJournal.working(on: job.file.path) { Indexer.process(job, encoder: encoder) }
            }, receive: receive)
        }
        if ranksFilters { try FilterRankings.rebuildIfStale(modelID: modelID, in: database) }
        summary.interrupted = cancellation.isCancelled
        summary.remaining = state.filesTotal - state.filesDone
        summary.audioSeconds = state.audioSeconds
        summary.elapsed = Date().timeIntervalSince(started)
        return summary
    }

    // MARK: Planning

    struct IndexedFile {
        var id: Int64
        var path: PathBytes
        var size: Int64
        var mtime: Double
        var fingerprint: String
        var failed: Bool
        var hasEmbedding: Bool
    }

    private func makePlan(scan: ScanResult, roots: [PathBytes], modelID: Int64, sidecar: SidecarMetadata?,
                          retryFailed: Bool, summary: inout IndexSummary) throws -> [Job] {
        let indexed = try database.read { db -> [IndexedFile] in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, path, size, mtime, fingerprint, status,
                       EXISTS (SELECT 1 FROM embeddings e WHERE e.song_id = songs.id AND e.model_id = ?1)
                       AND (?2 = 0 OR EXISTS (SELECT 1 FROM filter_activations f WHERE f.song_id = songs.id AND f.model_id = ?1))
                       AS embedded
                FROM songs
                """, arguments: [modelID, encoder.descriptor.filterCount])
            let files = rows.map { row in
                IndexedFile(id: row["id"], path: PathBytes(bytes: [UInt8](row["path"] as Data)), size: row["size"],
                            mtime: row["mtime"], fingerprint: row["fingerprint"], failed: row["status"] == "failed",
                            hasEmbedding: row["embedded"])
            }
            return files.filter { file in roots.contains { file.path.isInside($0) } }
        }
        var byPath = Dictionary(uniqueKeysWithValues: indexed.map { ($0.path, $0) })
        var jobs: [Job] = []
        var newFiles: [ScannedFile] = []
        for file in scan.audioFiles {
            let tags = sidecar?.tags(for: file.path)
            guard let known = byPath.removeValue(forKey: file.path) else {
                newFiles.append(file)
                continue
            }
            let same = known.size == file.size && known.mtime == file.mtime
            if same && (known.failed ? !retryFailed : known.hasEmbedding) {
                summary.unchanged += 1
                if let tags { try refreshTags(songID: known.id, path: file.path, sidecar: tags) }
                continue
            }
            jobs.append(Job(file: file, songID: known.id, fingerprint: same ? known.fingerprint : nil,
                                 sidecarTags: tags, isUpdate: !same))
        }
        // Whatever is left in byPath is gone from disk: moved, if a new file has its content.
        var goneByFingerprint = Dictionary(byPath.values.map { ("\($0.fingerprint):\($0.size)", $0) }) { first, _ in first }
        for file in newFiles {
            let fingerprint = try? Fingerprint.of(file.path, size: file.size)
            if let fingerprint, let original = goneByFingerprint.removeValue(forKey: "\(fingerprint):\(file.size)") {
                try database.write { db in
                    try db.execute(sql: "UPDATE songs SET path = ?, display_path = ?, mtime = ? WHERE id = ?",
                                   arguments: [Data(file.path.bytes), file.path.description, file.mtime, original.id])
                }
                byPath[original.path] = nil
                summary.moved += 1
                if !original.hasEmbedding || original.failed {
                    jobs.append(Job(file: file, songID: original.id, fingerprint: fingerprint,
                                         sidecarTags: sidecar?.tags(for: file.path), isUpdate: true))
                }
                continue
            }
            jobs.append(Job(file: file, songID: nil, fingerprint: fingerprint,
                                 sidecarTags: sidecar?.tags(for: file.path), isUpdate: false))
        }
        let removedIDs = goneByFingerprint.values.map(\.id)
        if !removedIDs.isEmpty {
            try database.write { db in _ = try SongRecord.deleteAll(db, keys: removedIDs) }
            summary.removed = removedIDs.count
        }
        return jobs
    }

    /// Re-applies sidecar metadata to an unchanged song: the CSV may have changed since.
    private func refreshTags(songID: Int64, path: PathBytes, sidecar: AudioTags) throws {
        let fileTags = (try? SoundFile(path: path).tags) ?? AudioTags()
        let tags = AudioTags.fromFileName(path).overridden(by: fileTags).overridden(by: sidecar)
        try database.write { db in
            guard var record = try SongRecord.fetchOne(db, key: songID) else { return }
            let before = record
            record.fill(tags: tags)
            if record != before { try record.update(db) }
        }
    }

    // MARK: Work (on worker threads)

    static func process(_ job: Job, encoder: any SongEncoder) -> JobResult {
        switch open(job, sampleRate: encoder.sampleRate) {
        case .failed(let result):
            return result
        case .ready(let fingerprint, let decoder):
            let embedding = Result { try encoder.embed(decoder, progress: { _ in }) }
            return result(of: job, fingerprint: fingerprint, decoded: DecodedSong(decoder, job: job), embedding: embedding)
        }
    }

    enum OpenedJob {
        case ready(fingerprint: String, decoder: AudioDecoder)
        case failed(JobResult)
    }

    /// The job's fingerprint and a decoder at the start of its file, or why there are none.
    static func open(_ job: Job, sampleRate: Int) -> OpenedJob {
        let path = job.file.path
        FaultInjection.crashIfRequested(for: path)
        let fingerprint: String
        do {
            fingerprint = try job.fingerprint ?? Fingerprint.of(path, size: job.file.size)
        } catch {
            return .failed(JobResult(job: job, fingerprint: "", outcome: .failed(reason: (error as? AudioError)?.reason ?? "\(error)", info: nil)))
        }
        do {
            return .ready(fingerprint: fingerprint, decoder: try AudioDecoder(path: path, outputRate: sampleRate))
        } catch let error as AudioError {
            return .failed(JobResult(job: job, fingerprint: fingerprint, outcome: .failed(reason: error.reason, info: nil)))
        } catch {
            return .failed(JobResult(job: job, fingerprint: fingerprint, outcome: .failed(reason: "\(error)", info: nil)))
        }
    }

    /// What decoding found out about a song, kept once the decoder has read what the encoder wanted.
    struct DecodedSong: Sendable {
        var info: SoundFileInfo
        var tags: AudioTags
        var duration: Double
        var warning: String?
        /// Why decoding stopped before the end, which explains a failure better than the encoder's error.
        var stopReason: String?

        init(_ decoder: AudioDecoder, job: Job) {
            info = decoder.info
            // Once decoded to the end, the length is known for sure; headers may lie (damaged WAV) or guess (MP3).
            duration = decoder.isFinished ? decoder.secondsRead : decoder.info.knownDuration ?? decoder.secondsRead
            var warnings: [String] = []
            if let stop = decoder.stoppedEarly {
                warnings.append("\(stop); indexed the \(formatTime(decoder.secondsRead)) before it")
                stopReason = "\(stop)"
            }
            if decoder.nonFiniteSamples > 0 {
                warnings.append("\(decoder.nonFiniteSamples) invalid (NaN or infinite) samples were replaced by silence")
            }
            warning = warnings.isEmpty ? nil : warnings.joined(separator: "; ")
            tags = AudioTags.fromFileName(job.file.path).overridden(by: decoder.file.tags)
            if let sidecar = job.sidecarTags { tags = tags.overridden(by: sidecar) }
        }
    }

    static func result(of job: Job, fingerprint: String, decoded: DecodedSong, embedding: Result<SongEmbedding, any Error>) -> JobResult {
        switch embedding {
        case .success(let embedding):
            return JobResult(job: job, fingerprint: fingerprint,
                             outcome: .embedded(info: decoded.info, tags: decoded.tags, duration: decoded.duration,
                                                embedding: embedding, warning: decoded.warning))
        case .failure(let error):
            return JobResult(job: job, fingerprint: fingerprint,
                             outcome: .failed(reason: decoded.stopReason ?? "\(error)", info: decoded.info))
        }
    }

    // MARK: Writing (on the calling thread)

    private func store(_ result: JobResult, modelID: Int64, summary: inout IndexSummary) throws {
        let job = result.job
        let path = job.file.path
        var record = SongRecord(id: job.songID, path: Data(path.bytes), displayPath: path.description, size: job.file.size,
                                mtime: job.file.mtime, fingerprint: result.fingerprint, status: .ok,
                                indexedAt: Date().timeIntervalSince1970)
        switch result.outcome {
        case .embedded(let info, let tags, let duration, _, let warning):
            record.fill(info: info, duration: duration)
            record.fill(tags: tags)
            record.warning = warning
        case .failed(let reason, let info):
            if let info { record.fill(info: info, duration: info.knownDuration) }
            record.fill(tags: AudioTags.fromFileName(path).overridden(by: job.sidecarTags ?? AudioTags()))
            record.status = .failed
            record.error = reason
        }
        try database.write { db in
            if record.id == nil, let existing = try SongRecord.filter(Column("path") == record.path).fetchOne(db) {
                record.id = existing.id
            }
            try record.save(db)
            let songID = record.id!
            try db.execute(sql: "DELETE FROM embeddings WHERE song_id = ? AND model_id = ?", arguments: [songID, modelID])
            try db.execute(sql: "DELETE FROM clips WHERE song_id = ? AND model_id = ?", arguments: [songID, modelID])
            try db.execute(sql: "DELETE FROM song_tags WHERE song_id = ? AND model_id = ?", arguments: [songID, modelID])
            try db.execute(sql: "DELETE FROM filter_activations WHERE song_id = ? AND model_id = ?", arguments: [songID, modelID])
            if case .embedded(_, _, _, let embedding, _) = result.outcome {
                try db.execute(sql: """
                    INSERT INTO embeddings(song_id, model_id, vector, analyzed_seconds, audible_seconds) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [songID, modelID, VectorBlob.float32(embedding.vector), embedding.analyzedSeconds,
                                     embedding.audibleSeconds])
                if let probabilities = embedding.tagProbabilities {
                    try db.execute(sql: "INSERT INTO song_tags(song_id, model_id, probabilities) VALUES (?, ?, ?)",
                                   arguments: [songID, modelID, VectorBlob.float32(probabilities)])
                }
                if let filters = embedding.filterActivations {
                    try FilterRankings.store(filters, songID: songID, modelID: modelID, in: db)
                }
                for clip in embedding.clips {
                    try db.execute(sql: "INSERT INTO clips(song_id, model_id, start, length, vector) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [songID, modelID, clip.start, clip.length, VectorBlob.float16(clip.vector)])
                }
            }
        }
        switch result.outcome {
        case .embedded(_, _, _, _, let warning):
            if job.isUpdate { summary.updated += 1 } else if job.songID == nil { summary.added += 1 } else { summary.updated += 1 }
            if let warning { summary.warnings.append((path.description, warning)) }
        case .failed(let reason, _):
            summary.failed.append((path.description, reason))
        }
    }
}

extension SongRecord {
    mutating func fill(info: SoundFileInfo, duration: Double?) {
        format = info.format
        sampleRate = info.sampleRate
        channels = info.channels
        self.duration = duration
    }

    mutating func fill(tags: AudioTags) {
        title = tags.title
        artist = tags.artist
        album = tags.album
        date = tags.date
        year = tags.year
        genre = tags.genre
        self.tags = tags.tags
    }
}
