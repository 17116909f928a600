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
        let coordinates = vectors.map { Float($0) }
        return coordinates.allSatisfy(\.isFinite) ? coordinates : nil
    }

    /// Small graphs: the dense matrix, deflated, diagonalised outright; n × count, row-major.
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
        for row in 0..<n { for column in 0..<count { vectors[row * count + column] = eigenvectors[row * n + column] } }
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

    /// The operator as LOBPCG applies it, on an n × `columns` block stored row by row; rows are split
    /// between cores, each row summed in a fixed order, so the result does not depend on the schedule.
    ///
    /// A neighbour's entries for all columns are adjacent, so each costs one SIMD4 load per four
    /// columns: rows must hold whole groups of four (`inputStride` a multiple of 4 at least
    /// `columns`); the lanes past `columns` are never stored.
    func apply(_ input: UnsafePointer<Double>, inputStride: Int, _ output: UnsafeMutablePointer<Double>, outputStride: Int,
               columns: Int) {
        let groups = (columns + 3) / 4
        graph.rowStarts.withUnsafeBufferPointer { rowStarts in
            graph.columns.withUnsafeBufferPointer { neighbors in
                weights.withUnsafeBufferPointer { weights in
                    Parallel.forEachChunk(of: graph.count, minimumChunk: 256) { rows in
                        for row in rows {
                            // Up to four groups (16 columns; LOBPCG's blocks for maps of up to 13
                            // dimensions) in registers; wider blocks sum the rest in memory.
                            var sums = (SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero)
                            var rest = [SIMD4<Double>](repeating: .zero, count: max(0, groups - 4))
                            for entry in rowStarts[row]..<rowStarts[row + 1] {
                                let weight = SIMD4(repeating: weights[entry])
                                let source = UnsafeRawPointer(input + Int(neighbors[entry]) * inputStride)
                                func term(_ group: Int) -> SIMD4<Double> {
                                    weight * source.loadUnaligned(fromByteOffset: group * MemoryLayout<SIMD4<Double>>.stride,
                                                                  as: SIMD4<Double>.self)
                                }
                                sums.0 += term(0)
                                if groups > 1 { sums.1 += term(1) }
                                if groups > 2 { sums.2 += term(2) }
                                if groups > 3 { sums.3 += term(3) }
                                for group in 4..<max(4, groups) { rest[group - 4] += term(group) }
                            }
                            let target = output + row * outputStride
                            for column in 0..<columns {
                                let group = column / 4, lane = column % 4
                                target[column] = switch group {
                                case 0: sums.0[lane]
                                case 1: sums.1[lane]
                                case 2: sums.2[lane]
                                case 3: sums.3[lane]
                                default: rest[group - 4][lane]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
