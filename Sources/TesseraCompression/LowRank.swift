import Tessera
import TesseraNN

/// Low-rank factorization of Dense and Conv2D weights by truncated SVD (LAPACK `sgesdd`).
///
/// A weight `W` (`m × n`: Dense `out × in`, Conv2D `out × in·kh·kw`) with SVD `U Σ Vᵀ` is replaced
/// by its best rank-r approximation (Eckart–Young) `U_r Σ_r V_rᵀ`, split evenly between two layers:
/// - first `A = Σ_r^{1/2} V_rᵀ` (`r × n`), no bias: a Dense `in → r`, or a Conv2D `in → r` with the
///   original kernel, stride and padding;
/// - then `B = U_r Σ_r^{1/2}` (`m × r`) with the original bias: a Dense `r → out`, or a 1×1 Conv2D.
///
/// `B·A = U_r Σ_r V_rᵀ`, so at full rank the pair computes the original layer (up to float
/// rounding); the square roots give both factors the same scale, which suits per-channel int8
/// quantization. The factors are named `<layer>_v` and `<layer>_u`.
///
/// For example:
/// ```swift
/// let (small, reports) = try LowRank.factorize(model, target: .parameterFraction(0.5), layers: ["fc1"])
/// reports[0].rank   // 96 for the MLP's 784 → 256 layer
/// ```
public enum LowRank {
  /// Replaces the selected Dense/Conv2D layers by their two-layer low-rank factorization.
  /// - Parameters:
  ///   - model: a float model (left unchanged).
  ///   - target: how each rank is chosen.
  ///   - layers: the layers to factorize by name; nil = every Dense and Conv2D whose factorization
  ///     has fewer parameters than the original. Named layers are factorized even when that is larger.
  /// - Returns: the new model and one report per factorized layer, in model order.
  /// - Throws: ``CompressionError/invalidRank(_:)`` for an invalid target,
  ///   ``CompressionError/unsupportedLayer(_:)`` for a name that is not a Dense or Conv2D layer or
  ///   a layer kind that cannot be copied, and LAPACK errors (`sgesdd`) for weights with NaN.
  /// - Complexity: O(m·n·min(m, n)) per factorized layer.
  public static func factorize(
    _ model: Sequential, target: LowRankTarget, layers: [String]? = nil
  ) throws -> (Sequential, [LowRankLayerReport]) {
    try target.validate()
    if let layers { _ = try PrunableLayer.selected(in: model, includeLastLayer: true, names: layers) }
    let shapes = try model.layerShapes()
    var newLayers = [any Layer]()
    var reports = [LowRankLayerReport]()
    for (layer, shape) in zip(model.layers, shapes) {
      let chosen = layers.map { $0.contains(layer.name) } ?? true
      if chosen, let weight = PrunableLayer.weight(of: layer) {
        let rows = weight.shape[0], columns = weight.count / rows
        let (u, s, vt) = try LAPACK.svd(try Tensor(shape: [rows, columns], scalars: weight.value))
        let rank = target.rank(singularValues: s, rows: rows, columns: columns)
        let biasCount = layer.parameters.count > 1 ? rows : 0
        let report = LowRankLayerReport(
          layer: layer.name, rank: rank, fullRank: min(rows, columns), rows: rows, columns: columns,
          paramsBefore: weight.count + biasCount, paramsAfter: rank * (rows + columns) + biasCount,
          retainedEnergy: LowRankTarget.retainedEnergy(s, rank: rank))
        if layers != nil || report.paramsAfter < report.paramsBefore {
          let (a, b) = factors(u: u.scalars, s: s, vt: vt.scalars, rows: rows, columns: columns, rank: rank)
          newLayers += try replacement(for: layer, rank: rank, first: a, second: b)
          reports.append(report)
          continue
        }
      }
      newLayers.append(try LayerResizing.clone(layer, inputShape: shape.input))
    }
    let result = Sequential(name: model.name, inputShape: model.inputShape, normalization: model.normalization, layers: newLayers)
    return (result, reports)
  }

  /// `A = Σ_r^{1/2} V_rᵀ` (`rank × columns`) and `B = U_r Σ_r^{1/2}` (`rows × rank`), row-major.
  static func factors(
    u: [Float], s: [Float], vt: [Float], rows: Int, columns: Int, rank: Int
  ) -> (first: [Float], second: [Float]) {
    let k = s.count
    let roots = s.prefix(rank).map { $0.squareRoot() }
    var first = [Float](repeating: 0, count: rank * columns)
    for i in 0..<rank {
      for j in 0..<columns { first[i * columns + j] = roots[i] * vt[i * columns + j] }
    }
    var second = [Float](repeating: 0, count: rows * rank)
    for i in 0..<rows {
      for j in 0..<rank { second[i * rank + j] = u[i * k + j] * roots[j] }
    }
    return (first, second)
  }

  /// The two layers replacing `layer`.
  static func replacement(for layer: any Layer, rank: Int, first: [Float], second: [Float]) throws -> [any Layer] {
    let replaced: [any Layer]
    if let dense = layer as? Dense {
      let v = Dense(inputs: dense.inputs, outputs: rank, bias: false, name: "\(dense.name)_v")
      let u = Dense(inputs: rank, outputs: dense.outputs, bias: dense.bias != nil, name: "\(dense.name)_u")
      v.weight.value = first
      u.weight.value = second
      if let bias = dense.bias { u.bias?.value = bias.value }
      replaced = [v, u]
    } else if let conv = layer as? Conv2D {
      let v = Conv2D(
        inputChannels: conv.inputChannels, outputChannels: rank, kernelSize: conv.kernelSize, stride: conv.stride,
        padding: conv.padding, bias: false, name: "\(conv.name)_v")
      let u = Conv2D(
        inputChannels: rank, outputChannels: conv.outputChannels, kernelSize: (1, 1), bias: conv.bias != nil,
        name: "\(conv.name)_u")
      v.weight.value = first
      u.weight.value = second
      if let bias = conv.bias { u.bias?.value = bias.value }
      replaced = [v, u]
    } else {
      throw CompressionError.unsupportedLayer("layer '\(layer.name)' (\(layer.kind)): only Dense and Conv2D can be factorized")
    }
    for part in replaced { part.isTraining = layer.isTraining }
    return replaced
  }
}
