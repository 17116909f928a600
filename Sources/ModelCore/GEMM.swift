import COpenBLAS

/// C[m, n] = alpha · op(A) · op(B) + beta · C, row-major, through OpenBLAS.
///
/// A is [m, k] (or [k, m] when `transposeA`), B is [k, n] (or [n, k] when `transposeB`).
@inline(__always)
func gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, transposeA: Bool = false,
          _ b: UnsafePointer<Float>, transposeB: Bool = false, _ c: UnsafeMutablePointer<Float>,
          alpha: Float = 1, beta: Float = 0) {
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                beta, c, Int32(n))
}
