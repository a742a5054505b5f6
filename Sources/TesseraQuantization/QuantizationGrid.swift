/// The integer grid a quantized tensor lives on: its bit width and its range `qmin...qmax`.
///
/// Activations use the full signed range (`int8`: −128…127) with a zero point. Weights use the
/// *restricted* symmetric range ±(2^(b−1) − 1) (int8: −127…127, 4 bits: −7…7, 2 bits: −1…1),
/// so negation is exact and the zero point is 0. Every grid is stored in an `Int8` container.
///
/// For example:
/// ```swift
/// let w4 = try QuantizationGrid.weights(bits: 4)   // −7...7
/// let a8 = QuantizationGrid.activations           // −128...127
/// ```
public struct QuantizationGrid: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Bit width (2…8).
  public let bits: Int
  /// Smallest integer code.
  public let qmin: Int32
  /// Largest integer code.
  public let qmax: Int32

  /// Makes a grid from explicit bounds.
  /// - Throws: ``QuantizationError/unsupportedBitWidth(what:bits:)`` when `bits` is outside 2…8,
  ///   ``QuantizationError/invalidArgument(_:)`` when the bounds do not fit `bits` signed bits.
  public init(bits: Int, qmin: Int32, qmax: Int32) throws {
    guard (2...8).contains(bits) else {
      throw QuantizationError.unsupportedBitWidth(what: "grid", bits: bits)
    }
    let lo = -(Int32(1) << (bits - 1)), hi = (Int32(1) << (bits - 1)) - 1
    guard qmin < qmax, qmin >= lo, qmax <= hi else {
      throw QuantizationError.invalidArgument("grid \(qmin)...\(qmax) does not fit \(bits) signed bits")
    }
    self.bits = bits
    self.qmin = qmin
    self.qmax = qmax
  }

  /// The full signed 8-bit activation grid −128…127.
  public static let activations = try! QuantizationGrid(bits: 8, qmin: -128, qmax: 127)

  /// The restricted symmetric weight grid ±(2^(bits−1) − 1).
  /// - Throws: ``QuantizationError/unsupportedBitWidth(what:bits:)`` when `bits` is outside 2…8.
  public static func weights(bits: Int) throws -> QuantizationGrid {
    guard (2...8).contains(bits) else {
      throw QuantizationError.unsupportedBitWidth(what: "weights", bits: bits)
    }
    let m = (Int32(1) << (bits - 1)) - 1
    return try QuantizationGrid(bits: bits, qmin: -m, qmax: m)
  }

  /// Number of steps between `qmin` and `qmax` (255 for int8 activations).
  public var steps: Int { Int(qmax - qmin) }

  /// `"int8[-128, 127]"`-style text.
  public var description: String { "int\(bits)[\(qmin), \(qmax)]" }
}
