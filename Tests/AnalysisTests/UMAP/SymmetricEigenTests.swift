@testable import Analysis
import ModelCore
import Testing

@Suite struct SymmetricEigenTests {
    @Test func decomposesARandomSymmetricMatrix() {
        let size = 12
        var random = SeededRandom(seed: 5)
        var matrix = [Double](repeating: 0, count: size * size)
        for i in 0..<size { for j in 0...i { let value = Double(random.normal()); matrix[i * size + j] = value; matrix[j * size + i] = value } }
        let (values, vectors) = symmetricEigen(matrix, size: size)
        #expect(values == values.sorted(by: >))
        for i in 0..<size {
            for j in 0..<size {
                // V Λ Vᵀ = A and Vᵀ V = I.
                let rebuilt = (0..<size).reduce(0.0) { $0 + vectors[i * size + $1] * values[$1] * vectors[j * size + $1] }
                #expect(abs(rebuilt - matrix[i * size + j]) < 1e-9)
                let inner = (0..<size).reduce(0.0) { $0 + vectors[$1 * size + i] * vectors[$1 * size + j] }
                #expect(abs(inner - (i == j ? 1 : 0)) < 1e-9)
            }
        }
    }
}
