extension FuzzyGraph {
    /// The connected component of every vertex, numbered 0, 1, … in order of each one's lowest vertex.
    func componentLabels() -> (labels: [Int], count: Int) {
        var labels = [Int](repeating: -1, count: count)
        var components = 0
        var stack: [Int] = []
        for start in 0..<count where labels[start] < 0 {
            labels[start] = components
            stack.append(start)
            while let vertex = stack.popLast() {
                for column in columns[rowStarts[vertex]..<rowStarts[vertex + 1]] where labels[Int(column)] < 0 {
                    labels[Int(column)] = components
                    stack.append(Int(column))
                }
            }
            components += 1
        }
        return (labels, components)
    }

    /// The graph induced by `vertices` (ascending), renumbered 0..<vertices.count.
    func subgraph(_ vertices: [Int]) -> FuzzyGraph {
        var newIndex = [Int32](repeating: -1, count: count)
        for (position, vertex) in vertices.enumerated() { newIndex[vertex] = Int32(position) }
        var rowStarts = [0], columns: [Int32] = [], weights: [Float] = []
        for vertex in vertices {
            for entry in self.rowStarts[vertex]..<self.rowStarts[vertex + 1] where newIndex[Int(self.columns[entry])] >= 0 {
                columns.append(newIndex[Int(self.columns[entry])])
                weights.append(self.weights[entry])
            }
            rowStarts.append(columns.count)
        }
        return FuzzyGraph(count: vertices.count, rowStarts: rowStarts, columns: columns, weights: weights)
    }
}
