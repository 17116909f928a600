extension HDBSCAN {
    /// The adjusted Rand index of two labellings of the same points (scikit-learn's
    /// `adjusted_rand_score`): 1 for the same partition whatever the label names, about 0 for
    /// chance agreement, negative below chance. Labels are names only; noise (−1) is one more group.
    public static func adjustedRandIndex(_ first: [Int], _ second: [Int]) -> Double {
        precondition(first.count == second.count, "labellings of \(first.count) and \(second.count) points")
        struct Pair: Hashable { let first: Int, second: Int }
        var joint: [Pair: Double] = [:]
        var firstSizes: [Int: Double] = [:]
        var secondSizes: [Int: Double] = [:]
        for (a, b) in zip(first, second) {
            joint[Pair(first: a, second: b), default: 0] += 1
            firstSizes[a, default: 0] += 1
            secondSizes[b, default: 0] += 1
        }
        // Ordered pairs of points: together in both, in one only, in neither (scikit-learn's pair confusion).
        let count = Double(first.count)
        let jointSquares = joint.values.reduce(0) { $0 + $1 * $1 }
        let together = jointSquares - count
        let onlySecond = secondSizes.values.reduce(0) { $0 + $1 * $1 } - jointSquares
        let onlyFirst = firstSizes.values.reduce(0) { $0 + $1 * $1 } - jointSquares
        let apart = count * count - onlyFirst - onlySecond - jointSquares
        if onlyFirst == 0 && onlySecond == 0 { return 1 }
        return 2 * (together * apart - onlyFirst * onlySecond)
            / ((together + onlyFirst) * (onlyFirst + apart) + (together + onlySecond) * (onlySecond + apart))
    }
}
