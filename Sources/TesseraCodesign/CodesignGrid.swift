/// The axes of a co-design sweep: weight bit widths × sparsity settings × hardware. Design
/// points are numbered in a fixed order (sparsity, then bits, then hardware, each as given), which
/// `--shard i/n` splits.
public struct CodesignGrid: Sendable, Equatable {
  /// One design point of the grid.
  public struct Point: Sendable, Hashable {
    /// Position in grid order (0-based).
    public var index: Int
    /// Weight bits.
    public var weightBits: Int
    /// Sparsity setting as given (`dense`, `magnitude:0.8`, `2:4`, …).
    public var sparsity: String
    /// Hardware preset name or spec path.
    public var hardware: String
  }

  /// Weight bit widths, each 2...8.
  public let weightBits: [Int]
  /// Sparsity settings.
  public let sparsity: [String]
  /// Hardware presets or spec files.
  public let hardware: [String]

  /// Makes a grid; duplicates are dropped (first occurrence kept).
  /// - Throws: ``CodesignError/invalidGrid(_:)`` for an empty axis or bits outside 2...8.
  public init(weightBits: [Int], sparsity: [String], hardware: [String]) throws {
    func unique<T: Hashable>(_ values: [T]) -> [T] {
      var seen = Set<T>()
      return values.filter { seen.insert($0).inserted }
    }
    guard !weightBits.isEmpty else { throw CodesignError.invalidGrid("no weight bit widths (e.g. --bits 8,6,4)") }
    guard !sparsity.isEmpty else { throw CodesignError.invalidGrid("no sparsity settings (e.g. --sparsity dense,2:4)") }
    guard !hardware.isEmpty else { throw CodesignError.invalidGrid("no hardware (e.g. --hardware edge-npu,eyeriss)") }
    if let bad = weightBits.first(where: { !(2...8).contains($0) }) {
      throw CodesignError.invalidGrid("weight bits \(bad) are outside 2...8")
    }
    if let empty = (sparsity + hardware).first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw CodesignError.invalidGrid("an empty entry ('\(empty)') in --sparsity or --hardware")
    }
    self.weightBits = unique(weightBits)
    self.sparsity = unique(sparsity)
    self.hardware = unique(hardware)
  }

  /// Every design point in grid order.
  public var points: [Point] {
    var result = [Point]()
    for s in sparsity {
      for b in weightBits {
        for h in hardware {
          result.append(Point(index: result.count, weightBits: b, sparsity: s, hardware: h))
        }
      }
    }
    return result
  }

  /// Number of design points.
  public var count: Int { weightBits.count * sparsity.count * hardware.count }

  /// Parses a comma-separated list of bit widths (`8,6,4`).
  /// - Throws: ``CodesignError/invalidGrid(_:)`` for a non-integer entry.
  public static func bits(parsing text: String) throws -> [Int] {
    try list(text).map {
      guard let b = Int($0) else { throw CodesignError.invalidGrid("'\($0)' in --bits is not an integer") }
      return b
    }
  }

  /// Splits a comma-separated list, trimming spaces and dropping empty entries.
  public static func list(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
