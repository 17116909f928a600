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

/// Runs `body` with OpenBLAS on one thread when `workers` > 1: such callers share work out over the
/// cores themselves, and BLAS threads of their own would compete with them and spin between calls.
public func withSingleThreadedBLAS<Result>(whenWorkers workers: Int, _ body: () -> Result) -> Result {
    guard workers > 1 else { return body() }
    let previous = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(previous) }
    return body()
}
