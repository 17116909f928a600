import ModelCore

/// Grows one regression tree on binned features, best split first, until `maxLeafNodes` leaves
/// (scikit-learn's `TreeGrower`).
///
/// Each split builds the histogram of the smaller child only and derives the larger child's
/// from its parent's by subtraction. Histogram building and split search run per feature on all
/// cores; the winner among features is chosen in feature order, so trees are reproducible.
struct BoostingTreeGrower {
    /// A leaf of the grown tree and the range of `partition.samples` it holds.
    struct Leaf {
        let node: Int
        let samples: Range<Int>
    }

    /// A tree whose leaves hold their Newton values before shrinkage, with its leaves' samples.
    struct GrownTree {
        var tree: RegressionTree
        let leaves: [Leaf]
    }

    /// A node of the tree with its samples, before it is known whether it will be split.
    private struct Candidate {
        let node: Int
        let samples: Range<Int>
        let totals: BoostingNodeTotals
        let depth: Int
        let splittable: Bool
    }

    /// A node waiting to be split, with the histogram its best split was found in.
    private struct OpenNode {
        let candidate: Candidate
        let histogram: GradientHistogram
        let split: BoostingSplit
    }

    /// The tree being grown.
    private struct Growth {
        var nodes = [RegressionTree.Node()]
        var leaves: [Leaf] = []
        var open: [OpenNode] = []
    }

    let binned: BoostingBinnedFeatures
    let binning: BoostingBinning
    let finder: BoostingSplitFinder
    let maxLeafNodes: Int?
    let maxDepth: Int?
    /// The node order of the samples of the last tree grown.
    private(set) var partition: BoostingSamplePartition
    private var spareHistograms: [GradientHistogram] = []
    private var orderedGradients: [Float]

    init(binned: BoostingBinnedFeatures, binning: BoostingBinning, parameters: GradientBoostingParameters) {
        self.binned = binned
        self.binning = binning
        finder = BoostingSplitFinder(minSamplesLeaf: parameters.minSamplesLeaf, l2Regularization: parameters.l2Regularization)
        maxLeafNodes = parameters.maxLeafNodes
        maxDepth = parameters.maxDepth
        partition = BoostingSamplePartition(count: binned.count)
        orderedGradients = [Float](repeating: 0, count: binned.count)
    }

    /// Grows a tree fitted to one gradient per sample.
    mutating func grow(gradients: [Float]) -> GrownTree {
        partition.reset()
        var growth = Growth()
        let root = Candidate(node: 0, samples: 0..<binned.count,
                             totals: BoostingNodeTotals(gradientSum: gradients.reduce(0.0) { $0 + Double($1) }, count: binned.count),
                             depth: 0, splittable: isSplittable(count: binned.count))
        if root.splittable {
            let histogram = takeHistogram()
            settle(root, split: findSplits(gradients: gradients, small: (root, histogram), large: nil).small,
                   histogram: histogram, in: &growth)
        } else {
            finalise(root, in: &growth)
        }
        // max(by:) keeps the first of equal gains, so ties go to the node opened first.
        while let best = growth.open.indices.max(by: { growth.open[$0].split.gain < growth.open[$1].split.gain }) {
            split(growth.open.remove(at: best), gradients: gradients, in: &growth)
        }
        return GrownTree(tree: RegressionTree(nodes: growth.nodes), leaves: growth.leaves)
    }

    /// Splits an open node, and opens or finalises its children.
    private mutating func split(_ parent: OpenNode, gradients: [Float], in growth: inout Growth) {
        let split = parent.split
        let middle = binned.columns.withUnsafeBufferPointer { columns in
            partition.split(parent.candidate.samples, column: columns.baseAddress! + split.feature * binned.count, bin: split.bin)
        }
        let node = parent.candidate.node
        growth.nodes[node].feature = split.feature
        growth.nodes[node].bin = split.bin
        growth.nodes[node].threshold = binning.thresholds[split.feature][Int(split.bin)]
        growth.nodes[node].left = growth.nodes.count
        growth.nodes[node].right = growth.nodes.count + 1
        growth.nodes.append(contentsOf: [RegressionTree.Node(), RegressionTree.Node()])

        let atLeafLimit = growth.leaves.count + growth.open.count + 2 == maxLeafNodes
        let depth = parent.candidate.depth + 1
        let mayGrow = !atLeafLimit && depth != maxDepth
        let left = Candidate(node: growth.nodes.count - 2, samples: parent.candidate.samples.lowerBound..<middle, totals: split.left,
                             depth: depth, splittable: mayGrow && isSplittable(count: split.left.count))
        let right = Candidate(node: growth.nodes.count - 1, samples: middle..<parent.candidate.samples.upperBound, totals: split.right,
                              depth: depth, splittable: mayGrow && isSplittable(count: split.right.count))
        if left.splittable || right.splittable {
            // The parent's histogram becomes the larger child's; a fresh one takes the smaller's.
            let smallHistogram = takeHistogram()
            let leftIsSmall = left.samples.count < right.samples.count
            let (small, large) = leftIsSmall ? (left, right) : (right, left)
            let splits = findSplits(gradients: gradients, small: (small, smallHistogram), large: (large, parent.histogram))
            settle(left, split: leftIsSmall ? splits.small : splits.large,
                   histogram: leftIsSmall ? smallHistogram : parent.histogram, in: &growth)
            settle(right, split: leftIsSmall ? splits.large : splits.small,
                   histogram: leftIsSmall ? parent.histogram : smallHistogram, in: &growth)
        } else {
            finalise(left, in: &growth)
            finalise(right, in: &growth)
            spareHistograms.append(parent.histogram)
        }
        if atLeafLimit {
            for open in growth.open {
                finalise(open.candidate, in: &growth)
                spareHistograms.append(open.histogram)
            }
            growth.open.removeAll()
        }
    }

    /// Opens a node that has a split; otherwise makes it a leaf and frees its histogram.
    private mutating func settle(_ candidate: Candidate, split: BoostingSplit?, histogram: GradientHistogram,
                                 in growth: inout Growth) {
        if let split {
            growth.open.append(OpenNode(candidate: candidate, histogram: histogram, split: split))
        } else {
            finalise(candidate, in: &growth)
            spareHistograms.append(histogram)
        }
    }

    private func finalise(_ candidate: Candidate, in growth: inout Growth) {
        growth.nodes[candidate.node].value = finder.leafValue(candidate.totals)
        growth.leaves.append(Leaf(node: candidate.node, samples: candidate.samples))
    }

    /// A node needs at least `minSamplesLeaf` samples on each side to be split.
    private func isSplittable(count: Int) -> Bool {
        count >= 2 * finder.minSamplesLeaf
    }

    private mutating func takeHistogram() -> GradientHistogram {
        spareHistograms.popLast() ?? GradientHistogram(dimension: binned.dimension, binCount: binning.binCount)
    }

    /// Builds the histogram of `small` from its samples and turns `large`'s (its parent's) into the
    /// sibling's by subtraction, then finds the best split of each splittable child. Without
    /// `large`, `small` is the root and its histogram is built from every sample in order.
    private mutating func findSplits(gradients: [Float], small: (node: Candidate, histogram: GradientHistogram),
                                     large: (node: Candidate, histogram: GradientHistogram)?)
        -> (small: BoostingSplit?, large: BoostingSplit?) {
        let isRoot = large == nil
        if !isRoot {
            for (position, sample) in partition.samples[small.node.samples].enumerated() {
                orderedGradients[position] = gradients[Int(sample)]
            }
        }
        let count = binned.count
        let finder = self.finder
        // scikit-learn leaves the root's value, and so its loss, at 0. That raises every root gain by
        // the same amount, changing no choice but how rounding breaks exact ties; following it keeps
        // the trees identical to scikit-learn's.
        let smallLoss = isRoot ? 0 : finder.loss(small.node.totals)
        let largeLoss = large.map { finder.loss($0.node.totals) } ?? 0
        let candidates = binned.columns.withUnsafeBufferPointer { columns in
            partition.samples.withUnsafeBufferPointer { allSamples in
                (isRoot ? gradients : orderedGradients).withUnsafeBufferPointer { allGradients in
                    let samples = isRoot ? nil : UnsafeBufferPointer(rebasing: allSamples[small.node.samples])
                    let ordered = UnsafeBufferPointer(rebasing: allGradients[0..<small.node.samples.count])
                    return Parallel.map(binned.dimension) { feature -> (small: BoostingSplit?, large: BoostingSplit?) in
                        small.histogram.accumulate(feature: feature, column: columns.baseAddress! + feature * count,
                                                   samples: samples, orderedGradients: ordered)
                        let smallSplit = small.node.splittable
                            ? finder.bestSplit(feature: feature, histogram: small.histogram, node: small.node.totals,
                                               nodeLoss: smallLoss)
                            : nil
                        guard let large else { return (smallSplit, nil) }
                        large.histogram.subtract(small.histogram, feature: feature)
                        let largeSplit = large.node.splittable
                            ? finder.bestSplit(feature: feature, histogram: large.histogram, node: large.node.totals,
                                               nodeLoss: largeLoss)
                            : nil
                        return (smallSplit, largeSplit)
                    }
                }
            }
        }
        return (BoostingSplitFinder.best(of: candidates.map(\.small)), BoostingSplitFinder.best(of: candidates.map(\.large)))
    }
}
