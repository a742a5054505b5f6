/// Deterministic random operands for one benchmark shape, shared by every
/// implementation measured on it so all rows multiply the same numbers.
///
/// Activations are uniform int8 in `-128...127` (with a non-zero input zero point, as a
/// calibrated asymmetric layer has), weights uniform in `-127...127`; the float copies
/// hold the same values for BLAS.
public final class GEMMOperands: @unchecked Sendable {
  /// The product's shape.
  public let shape: GEMMShape
  /// `m × k` int8 activations, row-major.
  public let activations: [Int8]
  /// `[n, k]` int8 weights.
  public let weights: Tensor<Int8>
  /// The activations as floats (row-major `m × k`).
  public let floatActivations: [Float]
  /// The weights as floats (row-major `n × k`).
  public let floatWeights: [Float]
  /// Per-channel bias.
  public let bias: [Int32]
  /// Zero point of the activations.
  public let inputZeroPoint: Int32 = 3
  /// An output stage that keeps typical outputs inside int8.
  public let requantization: Requantization

  /// Generates the operands.
  ///
  /// - Parameters:
  ///   - shape: the product's shape.
  ///   - seed: random seed (the same seed gives the same numbers).
  /// - Throws: ``TesseraError`` when the tensors cannot be made (not expected for valid shapes).
  /// - Complexity: O(m·k + n·k).
  public init(shape: GEMMShape, seed: UInt64 = 0x7E55E4A) throws {
    self.shape = shape
    var state = seed | 1
    func next() -> UInt64 {  // xorshift64*
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      return state &* 0x2545_F491_4F6C_DD1D
    }
    let a = (0..<(shape.m * shape.k)).map { _ in Int8(truncatingIfNeeded: next() >> 56) }
    let w = (0..<(shape.n * shape.k)).map { _ in Int8(Int(next() % 255) - 127) }
    activations = a
    weights = try Tensor(shape: [shape.n, shape.k], scalars: w)
    floatActivations = a.map { Float($0) }
    floatWeights = w.map { Float($0) }
    bias = (0..<shape.n).map { _ in Int32(Int(next() % 2001) - 1000) }
    // |acc| is about 74·127·sqrt(k); scale it to roughly ±64.
    let scale = 64 / (74 * 127 * Float(shape.k).squareRoot())
    requantization = try Requantization(scales: [Float](repeating: scale, count: shape.n), outputZeroPoint: -2)
  }
}
