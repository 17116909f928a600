/// A dense row-major float32 matrix: spectrograms (frames × bands) and embedding tables (songs × dimensions).
public struct Matrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    public mutating func appendRow<C: Collection>(_ row: C) where C.Element == Float {
        precondition(row.count == columns || rows == 0, "row of \(row.count) values for a matrix of \(columns) columns")
        if rows == 0 { columns = row.count }
        values.append(contentsOf: row)
        rows += 1
    }

    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for row in 0..<rows {
            for column in 0..<columns { result.values[column * rows + row] = values[row * columns + column] }
        }
        return result
    }
}
