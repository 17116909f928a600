/// Row selection from row-major feature buffers.
enum BoostingRows {
    /// The rows `rows` of a row-major `[count × dimension]` buffer, in the order given.
    static func gather(_ rows: [Int], from features: [Float], dimension: Int) -> [Float] {
        var gathered: [Float] = []
        gathered.reserveCapacity(rows.count * dimension)
        for row in rows { gathered.append(contentsOf: features[(row * dimension)..<((row + 1) * dimension)]) }
        return gathered
    }
}
