extension Dataset {
  /// Loads the bundled CSV format: one sample per line, `H·W` pixel values 0–255 in row-major
  /// order followed by the label; every line has the same number of columns, and the pixel
  /// count must be a square (28 × 28 = 784 for MNIST). Blank lines are skipped; a first line
  /// with a column name in it (a letter, quote or underscore where a number should be) is taken
  /// as a header and skipped; blanks may surround a number but not split one; a UTF-8 byte-order
  /// mark is ignored. Gzip is decompressed transparently.
  /// - Parameters:
  ///   - path: the `.csv` or `.csv.gz` file.
  ///   - classCount: number of classes.
  /// - Throws: ``DatasetError/csv(path:line:reason:)`` naming the line of the first problem.
  public static func loadCSV(path: String, classCount: Int = 10) throws -> Dataset {
    let bytes = try GzipFile.read(path)
    var pixels = [Float]()
    var labels = [Int]()
    var columns = -1
    var line = 0
    var row = [Int]()
    var position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // UTF-8 byte-order mark
    let n = bytes.count
    pixels.reserveCapacity(n / 2)
    while position < n {
      line += 1
      var end = position
      while end < n && bytes[end] != 10 { end += 1 }
      var stop = end
      if stop > position && bytes[stop - 1] == 13 { stop -= 1 }
      defer { position = end + 1 }
      if stop == position { continue }
      row.removeAll(keepingCapacity: true)
      var value = 0, digits = 0, i = position
      var spaceAfterDigits = false
      var bad: UInt8? = nil
      while i <= stop {
        let c: UInt8 = i < stop ? bytes[i] : 44
        if c >= 48 && c <= 57 {
          // Blanks may surround a number, not split it ("1 2" is not 12).
          if spaceAfterDigits { bad = 32; break }
          value = min(value * 10 + Int(c - 48), 1_000_000)
          digits += 1
        } else if c == 44 {
          if digits == 0 { bad = 44; break }
          row.append(value)
          value = 0
          digits = 0
          spaceAfterDigits = false
        } else if c == 32 || c == 9 {
          spaceAfterDigits = digits > 0
        } else {
          bad = c
          break
        }
        i += 1
      }
      if let bad {
        // Only a first line with a name in it (a letter, quote or underscore) is a header;
        // "0,0.5,…" is data with a bad value, not a header to skip.
        if line == 1 && labels.isEmpty && Self.startsName(bad) { continue }
        let what =
          bad == 44 ? "an empty field" : bad == 32 ? "a blank inside a number"
          : bad >= 0x20 && bad < 0x7F ? "unexpected character '\(Character(Unicode.Scalar(bad)))'"
          : "unexpected byte 0x\(String(bad, radix: 16, uppercase: true))"
        throw DatasetError.csv(path: path, line: line, reason: "\(what) in column \(row.count + 1)")
      }
      if columns < 0 {
        let side = Int(Double(row.count - 1).squareRoot().rounded())
        guard row.count >= 2, side * side == row.count - 1 else {
          throw DatasetError.csv(
            path: path, line: line, reason: "\(row.count) columns: expected a square number of pixels plus a label (785 for 28×28)")
        }
        columns = row.count
      }
      guard row.count == columns else {
        throw DatasetError.csv(path: path, line: line, reason: "expected \(columns) columns, got \(row.count)")
      }
      let label = row[columns - 1]
      guard label < classCount else {
        throw DatasetError.csv(path: path, line: line, reason: "label \(label) out of range 0...\(classCount - 1)")
      }
      for c in 0..<(columns - 1) {
        guard row[c] <= 255 else {
          throw DatasetError.csv(path: path, line: line, reason: "pixel \(row[c]) in column \(c + 1) out of range 0...255")
        }
        pixels.append(Float(row[c]) / 255)
      }
      labels.append(label)
    }
    guard columns > 0 else { throw DatasetError.mismatch(path: path, reason: "no samples") }
    let side = Int(Double(columns - 1).squareRoot().rounded())
    return try Dataset(pixels: pixels, labels: labels, sampleShape: [1, side, side], classCount: classCount, source: path)
  }

  /// True for a character that can start a column name in a header line.
  static func startsName(_ c: UInt8) -> Bool {
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c == UInt8(ascii: "\"")
      || c == UInt8(ascii: "'") || c == UInt8(ascii: "#")
  }
}
