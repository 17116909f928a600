/// ‖aᵢ − bⱼ‖² for four rows a and two rows b, lane 2i + j: the tile NN-descent's joins are built from.
///
/// Each chunk of eight floats is loaded once for the two (or four) distances it takes part in, and
/// eight independent accumulators keep both fused multiply-add pipes busy: one row against four at
/// a time loaded the far rows from L2 once per distance and ran at a third of the arithmetic's pace.
/// (The subtractions go to separate adder pipes, so differences cost no more than dot products
/// against squared norms and stay exact for nearly equal rows.)
@inline(__always)
func squaredDistanceTile(_ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                         _ a3: UnsafePointer<Float>, _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>,
                         dimension: Int) -> SIMD8<Float> {
    func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
    var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s10 = SIMD8<Float>(), s11 = SIMD8<Float>()
    var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s30 = SIMD8<Float>(), s31 = SIMD8<Float>()
    var index = 0
    while index + 8 <= dimension {
        let y0 = load(b0, index), y1 = load(b1, index)
        var x = load(a0, index)
        var d = x - y0; s00.addProduct(d, d)
        d = x - y1; s01.addProduct(d, d)
        x = load(a1, index)
        d = x - y0; s10.addProduct(d, d)
        d = x - y1; s11.addProduct(d, d)
        x = load(a2, index)
        d = x - y0; s20.addProduct(d, d)
        d = x - y1; s21.addProduct(d, d)
        x = load(a3, index)
        d = x - y0; s30.addProduct(d, d)
        d = x - y1; s31.addProduct(d, d)
        index += 8
    }
    var result = SIMD8(s00.sum(), s01.sum(), s10.sum(), s11.sum(), s20.sum(), s21.sum(), s30.sum(), s31.sum())
    while index < dimension {
        let y = SIMD8(b0[index], b1[index], b0[index], b1[index], b0[index], b1[index], b0[index], b1[index])
        let x = SIMD8(a0[index], a0[index], a1[index], a1[index], a2[index], a2[index], a3[index], a3[index])
        result.addProduct(x - y, x - y)
        index += 1
    }
    return result
}
