import Foundation
import ModelCore

extension NeighborGraph {
    /// Approximate k nearest neighbours by NN-descent (Dong et al. 2011) seeded from random-projection trees.
    ///
    /// Follows pynndescent as umap-learn calls it: the forest's leaves give the first candidates (a
    /// tree at a time, whose leaves share no point, so each heap hears only from its own leaf), then
    /// each round joins every point's new neighbours with each other and with its old ones, until fewer
    /// than `delta`·k·count neighbours change. Both cores evaluate distances; heaps are updated in a
    /// second pass where each core owns a range of rows, so a seeded run is reproducible.
    ///
    /// The search runs on a 16-bit copy of the points (`SearchRows`) in the first tree's leaf order:
    /// a point's neighbours then mostly lie near it in memory, and the joins, which wait on rows read
    /// from all over a large array, find more of them in cache. The neighbours found are measured
    /// again on the prepared points.
    static func descent(points original: MetricPoints, k: Int, seed: UInt64, progress: (Double) -> Void = { _ in }) -> NeighborGraph {
        let count = original.count
        let k = min(k, count)
        let settings = NNDescentSettings(count: count, k: k)
        let rows = SearchRows(points: original)
        let forest = RandomProjectionForest(points: rows, treeCount: settings.treeCount, leafSize: settings.leafSize, seed: seed)
        let order = Array(forest.members[0..<count])
        var position = [Int32](repeating: 0, count: count)
        for (index, point) in order.enumerated() { position[Int(point)] = Int32(index) }
        var search = NNDescentState(points: rows.reordered(order), k: k)
        for leaves in forest.treeLeaves {
            search.joinDisjoint(JoinGroups(leaves: leaves, of: forest, renumberedBy: position))
        }
        search.fillEmptySlots(seed: seed)
        progress(1 / Double(settings.iterations + 1))
        for iteration in 0..<settings.iterations {
            let candidates = search.sampleCandidates(maximum: settings.maxCandidates, seed: seed &+ UInt64(iteration))
            let changes = search.join(candidates)
            progress(Double(iteration + 2) / Double(settings.iterations + 1))
            if Double(changes) <= settings.delta * Double(k * count) { break }
        }
        progress(1)
        return search.heaps.finished(points: original, searchOrder: order)
    }
}

/// pynndescent's settings as umap-learn chooses them for `count` points.
struct NNDescentSettings {
    let treeCount: Int
    let leafSize: Int
    let iterations: Int
    let maxCandidates: Int
    let delta = 0.001

    init(count: Int, k: Int) {
        treeCount = min(64, 5 + Int((Double(count).squareRoot() / 20).rounded()))
        leafSize = max(60, min(256, 5 * k))
        iterations = max(5, Int(log2(Double(count)).rounded()))
        maxCandidates = 60
    }
}
