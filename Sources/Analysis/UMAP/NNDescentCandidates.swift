import ModelCore

extension NNDescentState {
    /// Up to `maximum` new and old candidates per point from its neighbours and reverse neighbours.
    ///
    /// Which ones is decided by a hash of the pair (pynndescent draws random priorities), so every
    /// run with the same seed samples the same candidates. Sampled new entries become old. Each
    /// point's lists are built from its own row and its reverse neighbours, so rows run in parallel.
    mutating func sampleCandidates(maximum: Int, seed: UInt64) -> CandidateLists {
        let k = heaps.k, count = points.count
        // Reverse neighbours as a CSR list of heap slots pointing at each point.
        var reverseStarts = [Int](repeating: 0, count: count + 1)
        for neighbor in heaps.indices where neighbor >= 0 { reverseStarts[Int(neighbor) + 1] += 1 }
        for row in 0..<count { reverseStarts[row + 1] += reverseStarts[row] }
        var reverseSlots = [Int](repeating: 0, count: reverseStarts[count])
        var fill = reverseStarts
        for slot in heaps.indices.indices where heaps.indices[slot] >= 0 {
            reverseSlots[fill[Int(heaps.indices[slot])]] = slot
            fill[Int(heaps.indices[slot])] += 1
        }
        var fresh = NeighborHeaps(count: count, k: maximum)
        var old = NeighborHeaps(count: count, k: maximum)
        heaps.withPointers { indices, _, flags in
            fresh.withPointers { freshIndices, freshPriorities, _ in
                old.withPointers { oldIndices, oldPriorities, _ in
                    reverseStarts.withUnsafeBufferPointer { reverseStarts in
                        reverseSlots.withUnsafeBufferPointer { reverseSlots in
                            Parallel.forEachChunk(of: count, minimumChunk: 256) { rows in
                                for row in rows {
                                    func offer(_ member: Int, isNew: Bool) {
                                        guard member >= 0, member != row else { return }
                                        let base = row * maximum
                                        pushNeighbor(Int32(member), distance: pairPriority(row, member, seed: seed), isNew: false, k: maximum,
                                                     indices: (isNew ? freshIndices : oldIndices) + base,
                                                     distances: (isNew ? freshPriorities : oldPriorities) + base, flags: nil)
                                    }
                                    for slot in (row * k)..<((row + 1) * k) { offer(Int(indices[slot]), isNew: flags[slot]) }
                                    for slot in reverseSlots[reverseStarts[row]..<reverseStarts[row + 1]] { offer(slot / k, isNew: flags[slot]) }
                                }
                            }
                        }
                    }
                    // Only after every row has read the flags: sampled new entries become old.
                    Parallel.forEachChunk(of: count, minimumChunk: 256) { rows in
                        for row in rows {
                            let sampled = UnsafeBufferPointer(start: freshIndices + row * maximum, count: maximum)
                            for slot in (row * k)..<((row + 1) * k) where flags[slot] && sampled.contains(indices[slot]) {
                                flags[slot] = false
                            }
                        }
                    }
                }
            }
        }
        return CandidateLists(fresh: fresh.indices, old: old.indices, maximum: maximum)
    }
}

/// Every point's sampled new and old candidates, -1 marking unused slots.
struct CandidateLists {
    let fresh: [Int32]
    let old: [Int32]
    let maximum: Int

    func lists(of row: Int) -> ([Int32], [Int32]) {
        let range = (row * maximum)..<((row + 1) * maximum)
        return (fresh[range].filter { $0 >= 0 }, old[range].filter { $0 >= 0 })
    }
}

/// A pseudo-random priority in [0, 1) for the unordered pair {i, j}.
private func pairPriority(_ i: Int, _ j: Int, seed: UInt64) -> Float {
    var generator = SeededRandom(seed: seed ^ (UInt64(min(i, j)) << 32 | UInt64(max(i, j))))
    return Float(generator.next() >> 40) * 0x1p-24
}

