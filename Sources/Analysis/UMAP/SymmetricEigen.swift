import Foundation

/// Eigenvalues (descending) and unit eigenvectors of a small dense symmetric matrix, by cyclic Jacobi.
///
/// `matrix` is size × size, row-major; `vectors[i * size + j]` is component i of eigenvector j.
/// Used for the Rayleigh–Ritz steps of LOBPCG and for the layout of graph components.
func symmetricEigen(_ matrix: [Double], size: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: size * size)
    for i in 0..<size { v[i * size + i] = 1 }
    for _ in 0..<100 {
        var offDiagonal = 0.0, diagonal = 0.0
        for i in 0..<size {
            diagonal += a[i * size + i] * a[i * size + i]
            for j in (i + 1)..<max(i + 1, size) { offDiagonal += a[i * size + j] * a[i * size + j] }
        }
        if offDiagonal <= 1e-30 * max(diagonal, 1e-300) { break }
        for p in 0..<size {
            for q in (p + 1)..<max(p + 1, size) where a[p * size + q] != 0 {
                // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
                let theta = (a[q * size + q] - a[p * size + p]) / (2 * a[p * size + q])
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<size {
                    let akp = a[k * size + p], akq = a[k * size + q]
                    a[k * size + p] = c * akp - s * akq
                    a[k * size + q] = s * akp + c * akq
                }
                for k in 0..<size {
                    let apk = a[p * size + k], aqk = a[q * size + k]
                    a[p * size + k] = c * apk - s * aqk
                    a[q * size + k] = s * apk + c * aqk
                }
                for k in 0..<size {
                    let vkp = v[k * size + p], vkq = v[k * size + q]
                    v[k * size + p] = c * vkp - s * vkq
                    v[k * size + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<size).sorted { a[$0 * size + $0] > a[$1 * size + $1] }
    var vectors = [Double](repeating: 0, count: size * size)
    for (column, source) in order.enumerated() {
        for row in 0..<size { vectors[row * size + column] = v[row * size + source] }
    }
    return (order.map { a[$0 * size + $0] }, vectors)
}
