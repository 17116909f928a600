import Encoders
import Foundation

/// Indexing with a patch encoder: patches of all songs in flight share the forward calls.
///
/// Every thread takes songs and cuts them into patches, and runs forward calls on the patches
/// waiting, whichever songs they come from. Batches stay full across the ends of songs, and once
/// no song is left to start, idle threads run the patches of the songs still being cut, so the
/// last song of a run, or a run of one song, keeps every core busy. Each forward call runs on
/// the calling thread's core with BLAS single-threaded (the indexer sees to that), so the
/// threads never oversubscribe the cores.
///
/// A song is written once it is cut and all its patches have run. Its embedding comes from its
/// outputs in song order, so it does not depend on which patches shared a call.
final class PatchPipeline: @unchecked Sendable {
    // Everything below `condition` is guarded by it.
    private let encoder: any PatchEncoder
    private let cancellation: CancellationFlag
    private let threads: Int
    private let condition = NSCondition()
    private var jobs: [Indexer.Job]
    private var waiting: [WaitingPatch] = []
    private var songs: [Int: SongInFlight] = [:]
    private var songsStarted = 0
    private var songsBeingCut = 0
    private var idleThreads = 0
    private var calls = 0
    private var patches = 0

    init(encoder: any PatchEncoder, jobs: [Indexer.Job], threads: Int, cancellation: CancellationFlag) {
        self.encoder = encoder
        self.threads = threads
        self.jobs = jobs.reversed()
        self.cancellation = cancellation
    }

    var forwardCalls: Int { condition.withLock { calls } }
    var patchesRun: Int { condition.withLock { patches } }

    private struct WaitingPatch {
        var song: Int
        var number: Int
        var patch: Patch
    }

    private struct SongInFlight {
        var job: Indexer.Job
        var outputs: [(patch: PatchHeader, output: PatchOutput)?] = []
        var outputsMissing = 0
        var cut: CutSong?
    }

    /// A song whose cutting has ended, with what the front end made of it.
    private enum CutSong {
        case failed(Indexer.JobResult)
        case cut(fingerprint: String, decoded: Indexer.DecodedSong, analyzedSeconds: Result<Double, any Error>)
    }

    private enum Task {
        case cut(song: Int, job: Indexer.Job)
        case run([WaitingPatch])
    }

    /// Runs every job on `threads` threads; each finished song reaches `receive` on the calling thread.
    func run(receive: (Indexer.JobResult) throws -> Void) throws {
        try runThreads(threads, cancellation: cancellation, body: work, receive: receive)
    }

    private func work(send: (Indexer.JobResult) -> Void) {
        while let task = nextTask() {
            switch task {
            case .cut(let song, let job): cut(song, job, send: send)
            case .run(let batch): run(batch, send: send)
            }
        }
    }

    /// A full batch first (it keeps the queue short), then a new song. Without either, waits for
    /// a full batch while other threads are still cutting (small batches run slower), and takes
    /// the last patches once they are done.
    private func nextTask() -> Task? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if waiting.count >= encoder.batchSize { return .run(takeBatch()) }
            if !cancellation.isCancelled, let job = jobs.popLast() {
                let song = songsStarted
                songsStarted += 1
                songsBeingCut += 1
                songs[song] = SongInFlight(job: job)
                return .cut(song: song, job: job)
            }
            if songsBeingCut == 0 {
                // The last patches of the run, shared out so that every thread has some.
                return waiting.isEmpty ? nil : .run(takeBatch(upTo: (waiting.count + threads - 1) / threads))
            }
            idleThreads += 1
            condition.wait()
            idleThreads -= 1
        }
    }

    /// Call with the lock held.
    private func takeBatch(upTo limit: Int = .max) -> [WaitingPatch] {
        let batch = Array(waiting.prefix(min(limit, encoder.batchSize)))
        waiting.removeFirst(batch.count)
        return batch
    }

    private func cut(_ song: Int, _ job: Indexer.Job, send: (Indexer.JobResult) -> Void) {
        // Forward calls made while cutting count as work on this file for the crash journal;
        // the network does not crash, decoders on damaged files do.
        let cutSong = CrashJournal.working(on: job.file.path) { () -> CutSong in
            switch Indexer.open(job, sampleRate: encoder.sampleRate) {
            case .failed(let result):
                return .failed(result)
            case .ready(let fingerprint, let decoder):
                var number = 0
                let analyzed = Result {
                    try encoder.cutPatches(decoder, progress: { _ in }) { patch in
                        if let batch = enqueue(WaitingPatch(song: song, number: number, patch: patch)) { run(batch, send: send) }
                        number += 1
                    }
                }
                return .cut(fingerprint: fingerprint, decoded: Indexer.DecodedSong(decoder, job: job), analyzedSeconds: analyzed)
            }
        }
        condition.lock()
        songsBeingCut -= 1
        songs[song]!.cut = cutSong
        let finished = takeIfFinished(song)
        // Threads waiting for patches may now have nothing left to wait for.
        condition.broadcast()
        condition.unlock()
        if let finished { send(conclude(finished)) }
    }

    /// Queues a patch. A full batch goes to an idle thread if there is one. Otherwise the cutting
    /// thread goes on cutting until a second batch is full, so that a thread coming back from a
    /// forward call finds one ready, and then runs a batch itself: the queue stays short.
    private func enqueue(_ patch: WaitingPatch) -> [WaitingPatch]? {
        condition.lock()
        defer { condition.unlock() }
        waiting.append(patch)
        songs[patch.song]!.outputs.append(nil)
        songs[patch.song]!.outputsMissing += 1
        if waiting.count >= encoder.batchSize && idleThreads > 0 {
            condition.signal()
            return nil
        }
        return waiting.count >= 2 * encoder.batchSize ? takeBatch() : nil
    }

    private func run(_ batch: [WaitingPatch], send: (Indexer.JobResult) -> Void) {
        let outputs = encoder.run(batch.map(\.patch))
        condition.lock()
        calls += 1
        patches += batch.count
        for (waiting, output) in zip(batch, outputs) {
            songs[waiting.song]!.outputs[waiting.number] = (PatchHeader(waiting.patch), output)
            songs[waiting.song]!.outputsMissing -= 1
        }
        let finished = Set(batch.map(\.song)).sorted().compactMap(takeIfFinished)
        condition.unlock()
        for song in finished { send(conclude(song)) }
    }

    /// Removes and returns the song if it is cut and all its patches have run. Call with the lock held.
    private func takeIfFinished(_ song: Int) -> SongInFlight? {
        guard let state = songs[song], state.cut != nil, state.outputsMissing == 0 else { return nil }
        return songs.removeValue(forKey: song)
    }

    private func conclude(_ song: SongInFlight) -> Indexer.JobResult {
        switch song.cut! {
        case .failed(let result):
            return result
        case .cut(let fingerprint, let decoded, let analyzed):
            let embedding = Result {
                try encoder.summarize(song.outputs.map { $0! }, analyzedSeconds: try analyzed.get())
            }
            return Indexer.result(of: song.job, fingerprint: fingerprint, decoded: decoded, embedding: embedding)
        }
    }
}
