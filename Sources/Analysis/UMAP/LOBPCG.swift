import COpenBLAS
import Foundation
import ModelCore

/// The largest eigenpairs of a large symmetric operator, by LOBPCG (Knyazev 2001).
///
/// Blocks are column-major n × m arrays of Double. Each step does a Rayleigh–Ritz projection on the
/// current vectors, their residuals and the previous search directions; `guardVectors` extra columns
/// speed convergence when the wanted eigenvalues are close to the next ones.
struct LOBPCG {
    /// Applies the operator to `columns` column vectors of length n.
    typealias Operator = (_ block: [Double], _ columns: Int) -> [Double]

    let size: Int
    let wanted: Int
    var guardVectors = 3
    var tolerance = 1e-4
    var maxIterations = 500
    /// A known eigenvector (unit length) kept out of every block, so the next ones are found instead.
    var deflated: [Double]?

    struct Result {
        /// Descending.
        var values: [Double]
        /// n × wanted, column-major.
        var vectors: [Double]
        var converged: Bool
    }

    /// Nil when the iteration breaks down (non-finite values).
    func solve(seed: UInt64, apply: Operator) -> Result? {
        let n = size, blockSize = min(wanted + guardVectors, max(1, (n - 1) / 3))
        var random = SeededRandom(seed: seed)
        var x = orthonormalized((0..<(n * blockSize)).map { _ in Double(random.normal()) }).basis
        var ax = apply(x, x.count / n)
        // A·x, A·r and A·p are carried along with x, r and p through every linear combination (as in
        // Knyazev's LOBPCG), so each step applies the operator to the new residuals only.
        var directions: [Double] = [], aDirections: [Double] = []
        var values: [Double] = []
        for iteration in 0...maxIterations {
            let m = x.count / n
            // Ritz values, and residuals r = A x − λ x, in one pass over each column.
            values = [Double](repeating: 0, count: m)
            var residuals = ax
            var worst = 0.0
            x.withUnsafeBufferPointer { x in
                residuals.withUnsafeMutableBufferPointer { residuals in
                    for column in 0..<m {
                        let vector = x.baseAddress! + column * n, residual = residuals.baseAddress! + column * n
                        // Summed in row order, as plain loops do, so that results stay bit for bit.
                        var value = 0.0
                        for row in 0..<n { value += vector[row] * residual[row] }
                        var norm = 0.0
                        for row in 0..<n {
                            residual[row] -= value * vector[row]
                            norm += residual[row] * residual[row]
                        }
                        values[column] = value
                        if column < wanted { worst = max(worst, norm.squareRoot()) }
                    }
                }
            }
            guard worst.isFinite else { return nil }
            if worst < tolerance || iteration == maxIterations {
                return Result(values: Array(values.prefix(wanted)), vectors: Array(x.prefix(n * wanted)), converged: worst < tolerance)
            }
            var noImages: [Double]?
            removeDeflated(from: &residuals, images: &noImages)
            let aResiduals = apply(residuals, m)
            // Rayleigh–Ritz on span[x, r, p]: the best m vectors of that subspace.
            let (basis, images) = orthonormalized(x + residuals + directions, images: ax + aResiduals + aDirections)
            guard let aBasis = images else { return nil }
            let s = basis.count / n
            let projected = multiply(basis, transposed: true, rows: s, inner: n, aBasis, columns: s)
            let (_, eigenvectors) = symmetricEigen(projected.symmetrised(size: s), size: s)
            // The top m Ritz vectors as coefficients: an s × m column-major block.
            var coefficients = [Double](repeating: 0, count: s * m)
            for column in 0..<m { for row in 0..<s { coefficients[column * s + row] = eigenvectors[row * s + column] } }
            let next = multiply(basis, rows: n, inner: s, coefficients, columns: m)
            let aNext = multiply(aBasis, rows: n, inner: s, coefficients, columns: m)
            // The step's part outside the old vectors' span: next − x (xᵀ next), and its image.
            let overlap = multiply(x, transposed: true, rows: m, inner: n, next, columns: m)
            directions = next
            aDirections = aNext
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(m), -1, x, Int32(n), overlap, Int32(m),
                        1, &directions, Int32(n))
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(m), -1, ax, Int32(n), overlap, Int32(m),
                        1, &aDirections, Int32(n))
            x = next
            ax = aNext
        }
        return nil
    }

    /// An orthonormal basis of the columns' span (orthogonal to `deflated`), from the eigenvectors of
    /// their Gram matrix, twice for accuracy; directions with a negligible share are dropped. `images`
    /// (the operator applied to the columns) undergo the same combinations.
    func orthonormalized(_ block: [Double], images: [Double]? = nil) -> (basis: [Double], images: [Double]?) {
        let n = size
        var basis = block, images = images
        for _ in 0..<2 {
            let columns = basis.count / n
            removeDeflated(from: &basis, images: &images)
            let gram = multiply(basis, transposed: true, rows: columns, inner: n, basis, columns: columns)
            let (values, vectors) = symmetricEigen(gram.symmetrised(size: columns), size: columns)
            let kept = values.filter { $0 > 1e-10 * max(values.first ?? 0, .leastNormalMagnitude) }.count
            var transform = [Double](repeating: 0, count: columns * kept)
            for column in 0..<kept {
                let scale = 1 / values[column].squareRoot()
                for row in 0..<columns { transform[column * columns + row] = vectors[row * columns + column] * scale }
            }
            basis = multiply(basis, rows: n, inner: columns, transform, columns: kept)
            images = images.map { multiply($0, rows: n, inner: columns, transform, columns: kept) }
        }
        return (basis, images)
    }

    /// block −= u (uᵀ block) for the deflated vector u; its images lose u's image, u itself (its
    /// eigenvalue is 1: the trivial eigenvector of the normalised adjacency).
    private func removeDeflated(from block: inout [Double], images: inout [Double]?) {
        guard let deflated else { return }
        let n = size, columns = block.count / n
        var shares = [Double](repeating: 0, count: columns)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(columns), 1, block, Int32(n), deflated, 1, 0, &shares, 1)
        cblas_dger(CblasColMajor, Int32(n), Int32(columns), -1, deflated, 1, shares, 1, &block, Int32(n))
        if images != nil { cblas_dger(CblasColMajor, Int32(n), Int32(columns), -1, deflated, 1, shares, 1, &images!, Int32(n)) }
    }

    /// op(a) · b, column-major: a is rows × inner (inner × rows when `transposed`), b is inner × columns.
    private func multiply(_ a: [Double], transposed: Bool = false, rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
        var product = [Double](repeating: 0, count: rows * columns)
        cblas_dgemm(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner),
                    1, a, Int32(transposed ? inner : rows), b, Int32(inner), 0, &product, Int32(rows))
        return product
    }
}

extension [Double] {
    /// (M + Mᵀ)/2 of a size × size matrix: rounding leaves products like Qᵀ A Q slightly asymmetric.
    func symmetrised(size: Int) -> [Double] {
        var result = self
        for i in 0..<size {
            for j in 0..<i {
                let mean = (self[i * size + j] + self[j * size + i]) / 2
                result[i * size + j] = mean
                result[j * size + i] = mean
            }
        }
        return result
    }
}
