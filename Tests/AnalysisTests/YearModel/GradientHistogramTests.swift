@testable import Analysis
import ModelCore
import Testing

@Suite struct GradientHistogramTests {
    /// Random bins (of 8) for 300 samples, their gradients, and a node holding every third sample.
    struct Node {
        var column: [UInt8] = []
        var gradients: [Float] = []
        var samples: [Int32] = []

        init() {
            var random = SeededRandom(seed: 3)
            column = (0..<300).map { _ in UInt8.random(in: 0..<8, using: &random) }
            gradients = (0..<300).map { _ in random.normal() }
            samples = stride(from: 0, to: 300, by: 3).map(Int32.init)
        }

        /// Direct per-bin sums over `rows`.
        func directSums(_ rows: [Int]) -> (gradients: [Double], counts: [UInt32]) {
            var sums = [Double](repeating: 0, count: 8)
            var counts = [UInt32](repeating: 0, count: 8)
            for row in rows {
                sums[Int(column[row])] += Double(gradients[row])
                counts[Int(column[row])] += 1
            }
            return (sums, counts)
        }

        /// A histogram of `samples` (or of every row when nil) in feature 1 of 2.
        func histogram(samples: [Int32]?) -> GradientHistogram {
            let histogram = GradientHistogram(dimension: 2, binCount: 8)
            let ordered = samples.map { $0.map { gradients[Int($0)] } } ?? gradients
            column.withUnsafeBufferPointer { column in
                ordered.withUnsafeBufferPointer { ordered in
                    if let samples {
                        samples.withUnsafeBufferPointer { samples in
                            histogram.accumulate(feature: 1, column: column.baseAddress!, samples: samples, orderedGradients: ordered)
                        }
                    } else {
                        histogram.accumulate(feature: 1, column: column.baseAddress!, samples: nil, orderedGradients: ordered)
                    }
                }
            }
            return histogram
        }
    }

    static func expectClose(_ histogram: GradientHistogram, _ expected: (gradients: [Double], counts: [UInt32])) {
        #expect(Array(histogram.counts(feature: 1)) == expected.counts)
        let worst = zip(histogram.gradientSums(feature: 1), expected.gradients).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-9)
    }

    @Test func sumsOfANodeEqualDirectSums() {
        let node = Node()
        Self.expectClose(node.histogram(samples: node.samples), node.directSums(node.samples.map(Int.init)))
    }

    @Test func rootPassCoversEveryRow() {
        let node = Node()
        Self.expectClose(node.histogram(samples: nil), node.directSums(Array(0..<300)))
    }

    @Test func subtractionGivesTheSibling() {
        let node = Node()
        let parent = node.histogram(samples: nil)
        parent.subtract(node.histogram(samples: node.samples), feature: 1)
        let sibling = (0..<300).filter { $0 % 3 != 0 }
        Self.expectClose(parent, node.directSums(sibling))
    }

    @Test func refillingStartsFromZero() {
        let node = Node()
        let histogram = node.histogram(samples: nil)
        node.column.withUnsafeBufferPointer { column in
            [Float](repeating: 1, count: 3).withUnsafeBufferPointer { ordered in
                [Int32(0), 1, 2].withUnsafeBufferPointer { samples in
                    histogram.accumulate(feature: 1, column: column.baseAddress!, samples: samples, orderedGradients: ordered)
                }
            }
        }
        #expect(histogram.counts(feature: 1).reduce(0, +) == 3)
        #expect(histogram.gradientSums(feature: 1).reduce(0, +) == 3)
    }
}
