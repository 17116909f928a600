@testable import Analysis
import ModelCore
import Testing

@Suite struct LOBPCGTests {
    /// diag(d) on a row-major block: row i scaled by dᵢ.
    static func diagonalOperator(_ diagonal: [Double]) -> LOBPCG.Operator {
        { input, inputStride, output, outputStride, columns in
            for row in diagonal.indices {
                for column in 0..<columns { output[row * outputStride + column] = input[row * inputStride + column] * diagonal[row] }
            }
        }
    }

    @Test func findsTheLargestEigenpairsOfADiagonalOperator() throws {
        // Eigenvalues 1, 0.99, 0.98, … : close together, so the guard vectors matter.
        let n = 400
        let diagonal = (0..<n).map { 1 - 0.01 * Double($0) }
        var solver = LOBPCG(size: n, wanted: 3)
        solver.tolerance = 1e-5
        solver.maxIterations = 2_000
        let result = try #require(solver.solve(seed: 1, apply: Self.diagonalOperator(diagonal)))
        let converged = result.converged
        #expect(converged)
        for (found, expected) in zip(result.values, [1, 0.99, 0.98]) { #expect(abs(found - expected) < 1e-8) }
        // Eigenvector j is ±e_j.
        for column in 0..<3 { #expect(abs(abs(result.vectors[column * 3 + column]) - 1) < 1e-4) }
    }

    @Test func deflatedVectorIsExcluded() throws {
        let n = 100
        let diagonal = (0..<n).map { 1 / Double($0 + 1) }
        var solver = LOBPCG(size: n, wanted: 2)
        solver.deflated = (0..<n).map { $0 == 0 ? 1 : 0 }
        let result = try #require(solver.solve(seed: 2, apply: Self.diagonalOperator(diagonal)))
        #expect(abs(result.values[0] - 0.5) < 1e-6 && abs(result.values[1] - 1.0 / 3) < 1e-6)
    }
}
