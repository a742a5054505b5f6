import Foundation
import Tessera

/// Mean softmax cross-entropy of `logits: [batch, classes]` against integer `labels`, with its
/// gradient, computed stably: `loss_i = logΣexp(z_i − max z_i) − (z_i[y_i] − max z_i)`.
///
/// For example:
/// ```swift
/// let (loss, dLogits, correct) = try softmaxCrossEntropy(logits: model(x), labels: y)
/// _ = try model.backward(dLogits)
/// ```
/// - Parameters:
///   - logits: unnormalized scores, one row per sample.
///   - labels: class index of each row, in `0..<classes`.
/// - Returns: the mean loss, dLoss/dLogits (`(softmax − onehot) / batch`), and how many rows
///   have their label as the arg-max (ties go to the lowest index).
/// - Throws: `TesseraError` when shapes disagree or a label is out of range.
public func softmaxCrossEntropy(
  logits: Tensor<Float>, labels: [Int]
) throws -> (loss: Float, gradient: Tensor<Float>, correct: Int) {
  guard logits.rank == 2, logits.shape[0] == labels.count else {
    throw TesseraError.shapeMismatch(operation: "softmaxCrossEntropy", lhs: logits.shape, rhs: [labels.count])
  }
  let batch = logits.shape[0], classes = logits.shape[1]
  if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
    throw TesseraError.invalidArgument("softmaxCrossEntropy: label \(bad) out of range 0..<\(classes)")
  }
  var probabilities = logits.scalars
  var total: Double = 0
  var correct = 0
  probabilities.withUnsafeMutableBufferPointer { p in
    for row in 0..<batch {
      let base = p.baseAddress! + row * classes
      let label = labels[row]
      var best = 0
      for c in 1..<max(classes, 1) where base[c] > base[best] { best = c }
      if best == label { correct += 1 }
      let target = base[label]
      let logSumExp = softmaxRow(base, classes)
      total += Double(logSumExp - target)
      base[label] -= 1
      let inverseBatch = 1 / Float(batch)
      for c in 0..<classes { base[c] *= inverseBatch }
    }
  }
  let gradient = try Tensor(shape: logits.shape, scalars: probabilities)
  return (batch == 0 ? 0 : Float(total / Double(batch)), gradient, correct)
}

/// Index of the largest value in each row of `[batch, classes]` (ties go to the lowest index).
/// - Parameter scores: logits or probabilities.
/// - Returns: one class index per row.
public func argmaxRows(_ scores: Tensor<Float>) -> [Int] {
  guard scores.rank == 2, scores.shape[1] > 0 else { return [] }
  let classes = scores.shape[1]
  return scores.withUnsafeBufferPointer { p in
    (0..<scores.shape[0]).map { row in
      var best = 0
      for c in 1..<classes where p[row * classes + c] > p[row * classes + best] { best = c }
      return best
    }
  }
}
