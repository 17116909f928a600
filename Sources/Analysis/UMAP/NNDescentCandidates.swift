import ModelCore

extension NNDescentState {
    /// Up to `maximum` new and old candidates per point from its neighbours and reverse neighbours,
    /// as join groups: group g holds the candidates of point g.
    ///
    /// Which ones is decided by a hash of the pair (pynndescent draws random priorities): the
    /// `maximum` distinct points of lowest priority, so every run with the same seed samples the same
    /// candidates. Lists come sorted by point, so a join reads the rows in address order. Sampled new
    /// entries become old. Each point's lists are built from its own row and its reverse neighbours,
    /// so rows run in parallel.
    mutating func sampleCandidates(maximum: Int, seed: UInt64) -> JoinGroups {
        let k = heaps.k, count = points.count
        // Reverse neighbours as a CSR list of heap slots pointing at each point.
        var reverseStarts = [Int](repeating: 0, count: count + 1)
        for neighbor in heaps.indices where neighbor >= 0 { reverseStarts[Int(neighbor) + 1] += 1 }
        for row in 0..<count { reverseStarts[row + 1] += reverseStarts[row] }
        var reverseSlots = [Int32](repeating: 0, count: reverseStarts[count])
        var fill = reverseStarts
        for slot in heaps.indices.indices where heaps.indices[slot] >= 0 {
            reverseSlots[fill[Int(heaps.indices[slot])]] = Int32(slot)
            fill[Int(heaps.indices[slot])] += 1
        }
        let stride = 2 * maximum
        var members = [Int32](repeating: -1, count: count * stride)
        var freshEnds = [Int](repeating: 0, count: count), ends = [Int](repeating: 0, count: count)
        heaps.withPointers { indices, _, flags in
            members.withUnsafeMutableBufferPointer { members in
                freshEnds.withUnsafeMutableBufferPointer { freshEnds in
                    ends.withUnsafeMutableBufferPointer { ends in
                        Parallel.forEachChunk(of: count, minimumChunk: 256) { groups in
                            var fresh: [Int32] = [], old: [Int32] = [], ranked: [(Float, Int32)] = []
                            for row in groups {
                                fresh.removeAll(keepingCapacity: true)
                                old.removeAll(keepingCapacity: true)
                                func offer(_ member: Int32, isNew: Bool) {
                                    guard member >= 0, Int(member) != row else { return }
                                    if isNew { fresh.append(member) } else { old.append(member) }
                                }
                                func sample(_ candidates: inout [Int32], into output: UnsafeMutablePointer<Int32>) -> Int {
                                    lowestPriorities(&candidates, of: row, seed: seed, maximum: maximum, ranked: &ranked, into: output)
                                }
                                for slot in (row * k)..<((row + 1) * k) { offer(indices[slot], isNew: flags[slot]) }
                                for slot in reverseSlots[reverseStarts[row]..<reverseStarts[row + 1]] {
                                    offer(Int32(Int(slot) / k), isNew: flags[Int(slot)])
                                }
                                let start = row * stride
                                freshEnds[row] = start + sample(&fresh, into: members.baseAddress! + start)
                                ends[row] = freshEnds[row] + sample(&old, into: members.baseAddress! + freshEnds[row])
                            }
                        }
                        // Only after every row has read the flags: sampled new entries become old.
                        Parallel.forEachChunk(of: count, minimumChunk: 256) { groups in
                            for row in groups {
                                let sampled = UnsafeBufferPointer(start: members.baseAddress! + row * stride,
                                                                  count: freshEnds[row] - row * stride)
                                for slot in (row * k)..<((row + 1) * k) where flags[slot] && sampled.sortedContains(indices[slot]) {
                                    flags[slot] = false
                                }
                            }
                        }
                    }
                }
            }
        }
        return JoinGroups(members: members, starts: (0..<count).map { $0 * stride }, freshEnds: freshEnds, ends: ends)
    }
}

/// Writes the distinct points among `candidates` of the `maximum` lowest priorities (of their
/// pairs with `row`) to `output`, ascending by point; returns how many. Most points have fewer
/// candidates than that, and all of them are kept without computing a priority. `ranked` is scratch.
private func lowestPriorities(_ candidates: inout [Int32], of row: Int, seed: UInt64, maximum: Int,
                              ranked: inout [(Float, Int32)], into output: UnsafeMutablePointer<Int32>) -> Int {
    if candidates.count > maximum {
        // A point offered twice comes with the same priority, so its copies end up side by side.
        ranked.removeAll(keepingCapacity: true)
        for member in candidates { ranked.append((pairPriority(row, Int(member), seed: seed), member)) }
        ranked.sort { $0 < $1 }
        candidates.removeAll(keepingCapacity: true)
        for (position, entry) in ranked.enumerated() where candidates.count < maximum {
            if position == 0 || ranked[position - 1].1 != entry.1 { candidates.append(entry.1) }
        }
    }
    candidates.sort()
    var kept = 0
    for (position, member) in candidates.enumerated() where position == 0 || candidates[position - 1] != member {
        output[kept] = member
        kept += 1
    }
    return kept
}

extension UnsafeBufferPointer<Int32> {
    /// Binary search in an ascending buffer.
    fileprivate func sortedContains(_ value: Int32) -> Bool {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}

/// A pseudo-random priority in [0, 1) for the unordered pair {i, j}.
private func pairPriority(_ i: Int, _ j: Int, seed: UInt64) -> Float {
    var generator = SeededRandom(seed: seed ^ (UInt64(min(i, j)) << 32 | UInt64(max(i, j))))
    return Float(generator.next() >> 40) * 0x1p-24
}
