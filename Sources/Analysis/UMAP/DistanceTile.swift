/// aᵢ · bⱼ for four rows a and two rows b of 16-bit floats, in lane 2i + j: the tile NN-descent's
/// joins are built from. `length` is a multiple of eight (`SearchRows` pads its rows).
///
/// Each chunk of eight values is loaded and widened to 32 bits once for the two (or four) products
/// it takes part in (one instruction each, vcvtph2ps), and eight independent accumulators keep both
/// fused multiply-add pipes busy: one row against four at a time loaded the far rows from L2 once
/// per product and ran at a third of the arithmetic's pace.
@inline(__always)
func halfDotProductTile(_ a0: UnsafePointer<Float16>, _ a1: UnsafePointer<Float16>, _ a2: UnsafePointer<Float16>,
                        _ a3: UnsafePointer<Float16>, _ b0: UnsafePointer<Float16>, _ b1: UnsafePointer<Float16>,
                        length: Int) -> SIMD8<Float> {
    @inline(__always)
    func load(_ pointer: UnsafePointer<Float16>, _ offset: Int) -> SIMD8<Float> { widened(pointer + offset) }
    var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s10 = SIMD8<Float>(), s11 = SIMD8<Float>()
    var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s30 = SIMD8<Float>(), s31 = SIMD8<Float>()
    var index = 0
    while index < length {
        let y0 = load(b0, index), y1 = load(b1, index)
        var x = load(a0, index)
        s00.addProduct(x, y0)
        s01.addProduct(x, y1)
        x = load(a1, index)
        s10.addProduct(x, y0)
        s11.addProduct(x, y1)
        x = load(a2, index)
        s20.addProduct(x, y0)
        s21.addProduct(x, y1)
        x = load(a3, index)
        s30.addProduct(x, y0)
        s31.addProduct(x, y1)
        index &+= 8
    }
    return SIMD8(s00.sum(), s01.sum(), s10.sum(), s11.sum(), s20.sum(), s21.sum(), s30.sum(), s31.sum())
}
