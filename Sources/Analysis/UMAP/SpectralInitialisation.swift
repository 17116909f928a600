import ModelCore

/// Starting coordinates from the graph's spectrum, as umap-learn's spectral_layout computes them.
enum SpectralInitialisation {
    /// count × dimension coordinates: per connected component the eigenvectors of the symmetric
    /// normalised Laplacian I − D^-½ W D^-½ with the smallest non-trivial eigenvalues, components placed
    /// apart (ComponentLayout); then scaled to ±10 with a little noise (umap's noisy_scale_coords).
    static func coordinates(graph: FuzzyGraph, points: MetricPoints, dimension: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        let (labels, componentCount) = graph.componentLabels()
        var coordinates: [Float]
        if componentCount == 1 {
            coordinates = layout(of: graph, dimension: dimension, seed: seed)
                ?? uniform(count: graph.count * dimension, in: -10...10, random: &random)
        } else {
            coordinates = ComponentLayout.coordinates(graph: graph, labels: labels, componentCount: componentCount,
                                                      points: points, dimension: dimension, seed: seed)
        }
        let largest = coordinates.reduce(0) { max($0, abs($1)) }
        let expansion = largest > 0 ? UMAPParameters.initialisationScale / largest : 1
        return coordinates.map { $0 * expansion + random.normal() * UMAPParameters.initialisationNoise }
    }

    /// Eigenvectors of one connected graph's normalised Laplacian, count × dimension; nil if the solver fails.
    static func layout(of graph: FuzzyGraph, dimension: Int, seed: UInt64) -> [Float]? {
        let n = graph.count
        guard n > dimension + 1 else { return nil }
        let adjacency = NormalisedAdjacency(graph: graph)
        // The trivial eigenvector of eigenvalue 1 (Laplacian 0) is D^½·1, known in closed form.
        let trivialNorm = adjacency.rootDegrees.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let trivial = adjacency.rootDegrees.map { $0 / trivialNorm }
        let vectors: [Double]
        if n <= 4 * (dimension + 4) {
            vectors = denseEigenvectors(adjacency, deflating: trivial, count: dimension)
        } else {
            var solver = LOBPCG(size: n, wanted: dimension)
            solver.deflated = trivial
            guard let result = solver.solve(seed: seed, apply: adjacency.apply) else { return nil }
            vectors = result.vectors
        }
        var coordinates = [Float](repeating: 0, count: n * dimension)
        for column in 0..<dimension { for row in 0..<n { coordinates[row * dimension + column] = Float(vectors[column * n + row]) } }
        return coordinates.allSatisfy(\.isFinite) ? coordinates : nil
    }

    /// Small graphs: the dense matrix, deflated, diagonalised outright.
    private static func denseEigenvectors(_ adjacency: NormalisedAdjacency, deflating trivial: [Double], count: Int) -> [Double] {
        let n = adjacency.graph.count
        var matrix = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for entry in adjacency.graph.rowStarts[row]..<adjacency.graph.rowStarts[row + 1] {
                matrix[row * n + Int(adjacency.graph.columns[entry])] += adjacency.weights[entry]
            }
        }
        // Shift the trivial pair far below the spectrum so the next `count` become the largest.
        for i in 0..<n { for j in 0..<n { matrix[i * n + j] -= 4 * trivial[i] * trivial[j] } }
        let (_, eigenvectors) = symmetricEigen(matrix, size: n)
        var vectors = [Double](repeating: 0, count: n * count)
        for column in 0..<count { for row in 0..<n { vectors[column * n + row] = eigenvectors[row * n + column] } }
        return vectors
    }

    static func uniform(count: Int, in range: ClosedRange<Float>, random: inout SeededRandom) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &random) }
    }
}

/// D^-½ W D^-½ of a fuzzy graph, applied to blocks of vectors on both cores.
struct NormalisedAdjacency: Sendable {
    let graph: FuzzyGraph
    /// Per stored entry of `graph`: wᵢⱼ / √(dᵢ dⱼ).
    let weights: [Double]
    /// √dᵢ.
    let rootDegrees: [Double]

    init(graph: FuzzyGraph) {
        self.graph = graph
        var degrees = [Double](repeating: 0, count: graph.count)
        for row in 0..<graph.count {
            for entry in graph.rowStarts[row]..<graph.rowStarts[row + 1] { degrees[row] += Double(graph.weights[entry]) }
        }
        rootDegrees = degrees.map { $0.squareRoot() }
        var weights = [Double](repeating: 0, count: graph.weights.count)
        for row in 0..<graph.count {
            for entry in graph.rowStarts[row]..<graph.rowStarts[row + 1] {
                let scale = rootDegrees[row] * rootDegrees[Int(graph.columns[entry])]
                weights[entry] = scale > 0 ? Double(graph.weights[entry]) / scale : 0
            }
        }
        self.weights = weights
    }

    /// The operator on `columns` column-major vectors; rows are split between cores, each row summed in
    /// a fixed order, so the result does not depend on the schedule.
    ///
    /// The work runs on a row-major copy: a neighbour's entries for all vectors are then adjacent,
    /// where column-major they were `columns` cache lines apart.
    func apply(_ block: [Double], columns: Int) -> [Double] {
        let n = graph.count
        var input = [Double](repeating: 0, count: block.count)
        for vector in 0..<columns { for row in 0..<n { input[row * columns + vector] = block[vector * n + row] } }
        var output = [Double](repeating: 0, count: block.count)
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                graph.rowStarts.withUnsafeBufferPointer { rowStarts in
                    graph.columns.withUnsafeBufferPointer { neighbors in
                        weights.withUnsafeBufferPointer { weights in
                            Parallel.forEachChunk(of: n, minimumChunk: 256) { rows in
                                for row in rows {
                                    let sums = output.baseAddress! + row * columns
                                    for entry in rowStarts[row]..<rowStarts[row + 1] {
                                        let weight = weights[entry], source = input.baseAddress! + Int(neighbors[entry]) * columns
                                        for vector in 0..<columns { sums[vector] += weight * source[vector] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var result = [Double](repeating: 0, count: block.count)
        for vector in 0..<columns { for row in 0..<n { result[vector * n + row] = output[row * columns + vector] } }
        return result
    }
}
