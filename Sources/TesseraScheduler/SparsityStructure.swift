/// Which zero patterns a piece of sparse hardware exploits, and which pattern a layer's weights
/// satisfy.
///
/// - `unstructured`: any zeros (hardware: skips every zero weight; weights: no guaranteed pattern).
/// - `2:4`: at most 2 non-zeros in every 4 consecutive inputs of each output (NVIDIA Ampere's
///   sparse tensor cores: the hardware keeps exactly 2 of every 4, density 0.5, with 2 bits of
///   index metadata per non-zero — NVIDIA A100 Tensor Core GPU Architecture whitepaper, 2020,
///   "Fine-Grained Structured Sparsity").
public enum SparsityStructure: String, Sendable, Hashable, CaseIterable {
  /// Any zeros.
  case unstructured
  /// 2 of every 4 consecutive inputs.
  case twoFour = "2:4"

  /// The pattern `codes` satisfy: `twoFour` when every output row of `columns` inputs has at most
  /// 2 non-zeros in each group of 4 consecutive inputs (a short last group counts as padded with
  /// zeros), else `unstructured`.
  /// - Parameters:
  ///   - nonzero: one flag per weight, row-major `[outputs, columns]` (a convolution's inputs in
  ///     `[C, kh, kw]` order).
  ///   - columns: inputs per output (K).
  public static func detect(nonzero: [Bool], columns: Int) -> SparsityStructure {
    guard columns > 0, !nonzero.isEmpty, nonzero.count % columns == 0 else { return .unstructured }
    let rows = nonzero.count / columns
    for r in 0..<rows {
      var g = 0
      while g < columns {
        var count = 0
        for j in g..<Swift.min(g + 4, columns) where nonzero[r * columns + j] { count += 1 }
        if count > 2 { return .unstructured }
        g += 4
      }
    }
    return .twoFour
  }
}
