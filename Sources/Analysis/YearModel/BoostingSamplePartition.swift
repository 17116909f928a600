/// The training samples ordered so that every tree node owns one contiguous range of them.
struct BoostingSamplePartition {
    /// Sample indices; a node's samples are `samples[node range]`.
    private(set) var samples: [Int32]
    private var rightSide: [Int32]

    init(count: Int) {
        samples = (0..<Int32(count)).map { $0 }
        rightSide = samples
    }

    /// Puts every sample back in one range, in index order, for the next tree's root.
    mutating func reset() {
        for index in samples.indices { samples[index] = Int32(index) }
    }

    /// Reorders `range` so that the samples whose `column` bin is at most `bin` come first, each side
    /// keeping its order (so a node's histogram sums in a fixed order), and returns where the right
    /// side starts.
    mutating func split(_ range: Range<Int>, column: UnsafePointer<UInt8>, bin: UInt8) -> Int {
        var leftEnd = range.lowerBound
        var rightCount = 0
        for index in range {
            let sample = samples[index]
            if column[Int(sample)] <= bin {
                samples[leftEnd] = sample
                leftEnd += 1
            } else {
                rightSide[rightCount] = sample
                rightCount += 1
            }
        }
        samples.replaceSubrange(leftEnd..<range.upperBound, with: rightSide[0..<rightCount])
        return leftEnd
    }
}
