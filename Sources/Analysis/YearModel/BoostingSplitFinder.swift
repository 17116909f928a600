/// The gradient sum and sample count of a tree node (its hessian sum is its count).
struct BoostingNodeTotals: Equatable {
    var gradientSum: Double
    var count: Int
}

/// A candidate split: samples whose bin in `feature` is at most `bin` go left.
struct BoostingSplit: Equatable {
    var feature: Int
    var bin: UInt8
    /// The decrease of the second-order loss approximation the split brings.
    var gain: Double
    var left: BoostingNodeTotals
    var right: BoostingNodeTotals
}

/// Finds the best split of a node from its histogram, under `minSamplesLeaf` and with an L2 penalty.
struct BoostingSplitFinder {
    var minSamplesLeaf: Int
    var l2Regularization: Double

    /// The Newton-step value of a node, −Σg / (Σh + λ), before shrinkage.
    func leafValue(_ totals: BoostingNodeTotals) -> Double {
        value(gradientSum: totals.gradientSum, hessianSum: Double(totals.count))
    }

    /// The second-order loss of a node after its Newton step: Σg × value = −(Σg)² / (Σh + λ).
    func loss(_ totals: BoostingNodeTotals) -> Double {
        loss(gradientSum: totals.gradientSum, hessianSum: Double(totals.count))
    }

    @inline(__always)
    private func value(gradientSum: Double, hessianSum: Double) -> Double {
        -gradientSum / (hessianSum + l2Regularization)
    }

    @inline(__always)
    private func loss(gradientSum: Double, hessianSum: Double) -> Double {
        gradientSum * value(gradientSum: gradientSum, hessianSum: hessianSum)
    }

    /// The best split of `feature` with positive gain that leaves `minSamplesLeaf` samples on each
    /// side, or `nil`. The gain is `nodeLoss` − loss(left) − loss(right), XGBoost's equation 7
    /// without its ½ and γ, in scikit-learn's order of operations: with the absolute error's ±1
    /// gradients many candidates tie exactly, and rounding decides between them. Ties keep the lowest bin.
    func bestSplit(feature: Int, histogram: GradientHistogram, node: BoostingNodeTotals, nodeLoss: Double) -> BoostingSplit? {
        let sums = histogram.gradientSums(feature: feature)
        let counts = histogram.counts(feature: feature)
        let binCount = histogram.binCount
        // Three passes, so that the middle one, with the divisions, has no branches and vectorises:
        // left totals after each bin, the gain of each bin that leaves enough samples on both
        // sides, then the first largest gain.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * binCount) { scratch in
            let leftGradients = scratch.baseAddress!
            let leftCounts = leftGradients + binCount
            let gains = leftCounts + binCount
            var leftGradient = 0.0
            var leftCount = 0
            var end = 0
            while end < binCount {
                leftCount &+= Int(counts[end])
                // The right side only shrinks: no later bin can leave it enough samples either.
                if node.count &- leftCount < minSamplesLeaf { break }
                leftGradient += sums[end]
                leftGradients[end] = leftGradient
                leftCounts[end] = Double(leftCount)
                end += 1
            }
            let minimum = Double(minSamplesLeaf)
            var start = 0
            while start < end && leftCounts[start] < minimum { start += 1 }
            guard start < end else { return nil }
            let totalGradient = node.gradientSum
            let totalCount = Double(node.count)
            for bin in start..<end {
                let left = leftGradients[bin]
                gains[bin] = nodeLoss - loss(gradientSum: left, hessianSum: leftCounts[bin])
                    - loss(gradientSum: totalGradient - left, hessianSum: totalCount - leftCounts[bin])
            }
            var best = -1
            var bestGain = 0.0
            // An empty bin repeats the previous bin's gain; keeping the first keeps the lowest bin.
            for bin in start..<end where gains[bin] > bestGain {
                best = bin
                bestGain = gains[bin]
            }
            guard best >= 0 else { return nil }
            let left = BoostingNodeTotals(gradientSum: leftGradients[best], count: Int(leftCounts[best]))
            let right = BoostingNodeTotals(gradientSum: totalGradient - left.gradientSum, count: node.count - left.count)
            return BoostingSplit(feature: feature, bin: UInt8(best), gain: bestGain, left: left, right: right)
        }
    }

    /// The best of per-feature candidates; ties keep the lowest feature, so the choice does not
    /// depend on which core found which candidate.
    static func best(of candidates: some Sequence<BoostingSplit?>) -> BoostingSplit? {
        var best: BoostingSplit?
        for case let candidate? in candidates where candidate.gain > (best?.gain ?? 0) {
            best = candidate
        }
        return best
    }
}
