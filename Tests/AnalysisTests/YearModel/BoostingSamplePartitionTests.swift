@testable import Analysis
import Testing

@Suite struct BoostingSamplePartitionTests {
    @Test func splitIsStableOnBothSides() {
        var partition = BoostingSamplePartition(count: 8)
        let column: [UInt8] = [3, 0, 2, 1, 3, 0, 2, 1]
        let middle = column.withUnsafeBufferPointer { partition.split(0..<8, column: $0.baseAddress!, bin: 1) }
        #expect(middle == 4)
        #expect(partition.samples == [1, 3, 5, 7, 0, 2, 4, 6])
        // A nested split touches only its own range.
        let inner = column.withUnsafeBufferPointer { partition.split(4..<8, column: $0.baseAddress!, bin: 2) }
        #expect(inner == 6)
        #expect(partition.samples == [1, 3, 5, 7, 2, 6, 0, 4])
    }

    @Test func resetRestoresIndexOrder() {
        var partition = BoostingSamplePartition(count: 4)
        _ = [UInt8](arrayLiteral: 1, 0, 1, 0).withUnsafeBufferPointer { partition.split(0..<4, column: $0.baseAddress!, bin: 0) }
        partition.reset()
        #expect(partition.samples == [0, 1, 2, 3])
    }
}
