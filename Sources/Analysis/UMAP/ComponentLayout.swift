import ModelCore

/// Initial coordinates for a graph in several connected components (umap's multi_component_layout).
///
/// Each component gets a centre (the meta-embedding) and is laid out spectrally around it, within half
/// the distance to the nearest other centre; components too small for a spectrum get uniform noise.
enum ComponentLayout {
    static func coordinates(graph: FuzzyGraph, labels: [Int], componentCount: Int, points: MetricPoints,
                            dimension: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed ^ 0xC0_4D0E)
        let centres = componentCount > 2 * dimension
            ? centroidEmbedding(labels: labels, componentCount: componentCount, points: points, dimension: dimension)
            : axisCentres(componentCount: componentCount, dimension: dimension)
        var members = [[Int]](repeating: [], count: componentCount)
        for (vertex, label) in labels.enumerated() { members[label].append(vertex) }
        var coordinates = [Float](repeating: 0, count: graph.count * dimension)
        for (label, vertices) in members.enumerated() {
            let centre = centres[(label * dimension)..<((label + 1) * dimension)].map { $0 }
            var halfGap = Double.infinity
            for other in 0..<componentCount where other != label {
                var squared = 0.0
                for axis in 0..<dimension { let difference = centre[axis] - centres[other * dimension + axis]; squared += difference * difference }
                if squared > 0 { halfGap = min(halfGap, squared.squareRoot() / 2) }
            }
            let range = Float(halfGap.isFinite ? halfGap : 1)
            var local: [Float]
            if vertices.count < 2 * dimension || vertices.count <= dimension + 1 {
                local = SpectralInitialisation.uniform(count: vertices.count * dimension, in: -range...range, random: &random)
            } else if let spectral = SpectralInitialisation.layout(of: graph.subgraph(vertices), dimension: dimension,
                                                                   seed: seed &+ UInt64(label)) {
                let largest = spectral.reduce(0) { max($0, abs($1)) }
                local = spectral.map { largest > 0 ? $0 * range / largest : 0 }
            } else {
                local = SpectralInitialisation.uniform(count: vertices.count * dimension, in: -range...range, random: &random)
            }
            for (position, vertex) in vertices.enumerated() {
                for axis in 0..<dimension {
                    coordinates[vertex * dimension + axis] = local[position * dimension + axis] + Float(centre[axis])
                }
            }
        }
        return coordinates
    }

    /// Up to 2·dimension components: ±unit vectors along the first axes, as umap-learn places them.
    static func axisCentres(componentCount: Int, dimension: Int) -> [Double] {
        let axes = (componentCount + 1) / 2
        var centres = [Double](repeating: 0, count: componentCount * dimension)
        for label in 0..<componentCount { centres[label * dimension + label % axes] = label < axes ? 1 : -1 }
        return centres
    }

    /// More components: classical MDS of the distances between component centroids, scaled to ±1.
    ///
    /// umap-learn embeds the affinities exp(−d²) spectrally instead; on high-dimensional data those
    /// affinities all underflow to 0 and the placement degenerates, while MDS keeps far components far.
    static func centroidEmbedding(labels: [Int], componentCount: Int, points: MetricPoints, dimension: Int) -> [Double] {
        let inputDimension = points.dimension
        var centroids = [Double](repeating: 0, count: componentCount * inputDimension)
        var sizes = [Double](repeating: 0, count: componentCount)
        for (vertex, label) in labels.enumerated() {
            sizes[label] += 1
            for axis in 0..<inputDimension { centroids[label * inputDimension + axis] += Double(points.rows[vertex * inputDimension + axis]) }
        }
        for label in 0..<componentCount { for axis in 0..<inputDimension { centroids[label * inputDimension + axis] /= sizes[label] } }
        // Double-centred squared distances: B = −½ J D² J.
        var gram = [Double](repeating: 0, count: componentCount * componentCount)
        for i in 0..<componentCount {
            for j in 0..<componentCount {
                var squared = 0.0
                for axis in 0..<inputDimension {
                    let difference = centroids[i * inputDimension + axis] - centroids[j * inputDimension + axis]
                    squared += difference * difference
                }
                gram[i * componentCount + j] = -squared / 2
            }
        }
        let rowMeans = (0..<componentCount).map { i in gram[(i * componentCount)..<((i + 1) * componentCount)].reduce(0, +) / Double(componentCount) }
        let grandMean = rowMeans.reduce(0, +) / Double(componentCount)
        for i in 0..<componentCount { for j in 0..<componentCount { gram[i * componentCount + j] += grandMean - rowMeans[i] - rowMeans[j] } }
        let (values, vectors) = symmetricEigen(gram, size: componentCount)
        var centres = [Double](repeating: 0, count: componentCount * dimension)
        for label in 0..<componentCount {
            for axis in 0..<min(dimension, componentCount) {
                centres[label * dimension + axis] = vectors[label * componentCount + axis] * max(values[axis], 0).squareRoot()
            }
        }
        let largest = centres.reduce(0) { max($0, abs($1)) }
        return largest > 0 ? centres.map { $0 / largest } : centres
    }
}
