@testable import Analysis
import Foundation
import ModelCore
import Testing

@Suite struct BoostingTreeGrowerTests {
    /// `count` samples of `dimension` uniform features; only feature 0 matters to `target`.
    struct Problem {
        let features: [Float]
        let targets: [Float]
        let binning: BoostingBinning
        let binned: BoostingBinnedFeatures

        init(count: Int = 2000, dimension: Int = 3, target: (Float) -> Float) {
            var random = SeededRandom(seed: 11)
            let features = (0..<(count * dimension)).map { _ in Float.random(in: 0..<1, using: &random) }
            self.features = features
            targets = (0..<count).map { target(features[$0 * dimension]) }
            binning = BoostingBinning(features: features, count: count, dimension: dimension, maxBins: 255, subsample: 200_000, seed: 0)
            binned = binning.bin(features: features, count: count)
        }

        /// A tree fitted to the first squared-error gradients from a zero prediction: −target.
        func grow(_ configure: (inout GradientBoostingParameters) -> Void = { _ in }) -> (BoostingTreeGrower.GrownTree, BoostingTreeGrower) {
            var parameters = GradientBoostingParameters()
            configure(&parameters)
            var grower = BoostingTreeGrower(binned: binned, binning: binning, parameters: parameters)
            return (grower.grow(gradients: targets.map { -$0 }), grower)
        }
    }

    static func step(_ x: Float) -> Float { x < 0.3 ? 0 : x < 0.7 ? 5 : 10 }

    @Test func singleTreeReproducesAStepFunction() {
        // Fewer samples than bins: every distinct value has its own bin, so no bin straddles a step.
        let problem = Problem(count: 200, target: Self.step)
        let (grown, _) = problem.grow { $0.maxLeafNodes = 3 }
        #expect(grown.leaves.count == 3)
        let values = grown.leaves.map { grown.tree.nodes[$0.node].value }.sorted()
        #expect(values == [0, 5, 10])
        for x: Float in [0.05, 0.25, 0.35, 0.65, 0.75, 0.95] {
            let value = [x, 0.5, 0.5].withUnsafeBufferPointer { grown.tree.predict(row: $0.baseAddress!) }
            #expect(value == Double(Self.step(x)), "at \(x)")
        }
    }

    @Test func leavesPartitionTheSamplesAndMatchTheTree() {
        let problem = Problem { sin(12 * $0) }
        let (grown, grower) = problem.grow()
        #expect(grown.leaves.map(\.samples.count).reduce(0, +) == problem.targets.count)
        var seen = Set<Int32>()
        for leaf in grown.leaves {
            for sample in grower.partition.samples[leaf.samples] {
                seen.insert(sample)
                #expect(grown.tree.predict(binned: problem.binned, sample: Int(sample)) == grown.tree.nodes[leaf.node].value)
            }
        }
        #expect(seen.count == problem.targets.count)
    }

    @Test func growthStopsAtTheLeafLimit() {
        let (grown, _) = Problem { sin(12 * $0) }.grow()
        #expect(grown.leaves.count == 31)
    }

    @Test func respectsMaxDepthAndMinSamplesLeaf() {
        let (grown, _) = Problem { sin(12 * $0) }.grow {
            $0.maxDepth = 2
            $0.minSamplesLeaf = 40
        }
        #expect(grown.leaves.count == 4)
        #expect(grown.leaves.allSatisfy { $0.samples.count >= 40 })
        func depth(_ node: Int) -> Int {
            let node = grown.tree.nodes[node]
            return node.isLeaf ? 0 : 1 + max(depth(node.left), depth(node.right))
        }
        #expect(depth(0) == 2)
    }

    @Test func withoutALeafLimitDepthBoundsTheTree() {
        let (grown, _) = Problem { sin(12 * $0) }.grow {
            $0.maxLeafNodes = nil
            $0.maxDepth = 3
        }
        #expect(grown.leaves.count == 8)
    }

    @Test func bestFirstSplitsTheLargestGainFirst() {
        // Two leaves only: the single split must be the big step at 0.7 (gain from 10s), not 0.3.
        let problem = Problem { $0 < 0.3 ? 0 : $0 < 0.7 ? 1 : 10 }
        let (grown, _) = problem.grow { $0.maxLeafNodes = 2 }
        #expect(grown.tree.nodes[0].feature == 0)
        #expect(abs(grown.tree.nodes[0].threshold - 0.7) < 0.01)
    }

    @Test func tooFewSamplesMakeARootLeaf() {
        let (grown, _) = Problem(count: 30, target: Self.step).grow()
        #expect(grown.leaves.count == 1)
        #expect(grown.tree.nodes.count == 1)
    }
}
