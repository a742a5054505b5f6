/// The multidirectional (numpy) broadcast of several inputs: the output shape and, per input, the
/// offsets that read it at every output element. Used by the comparison, logical, selection and
/// variadic kernels; Add/Sub/Mul/Div keep their own two-input loop.
struct BroadcastPlan {
  /// The broadcast output shape.
  let shape: [Int]
  /// Its element count (checked against 2³¹).
  let count: Int
  /// Per input, the offset read at each output element (nil when the input has the output shape).
  private let offsets: [[Int]?]

  /// Broadcasts the shapes of `tensors`.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` naming the shapes when they do not
  ///   broadcast, or the output would exceed 2³¹ elements.
  init(_ c: KernelContext, _ tensors: [GraphTensor]) throws {
    var shape = [Int]()
    for t in tensors {
      guard let s = TensorLayout.broadcast(shape, t.shape) else {
        let shapes = tensors.map { "\($0.shape)" }
        throw c.error("cannot broadcast shapes \(shapes.dropLast().joined(separator: ", ")) and \(shapes.last!)")
      }
      shape = s
    }
    self.shape = shape
    count = try c.count(shape)
    offsets = tensors.map { TensorLayout.broadcastOffsets(from: $0.shape, to: shape) }
  }

  /// The element of input `k` read at output element `i`.
  @inline(__always) func index(_ k: Int, _ i: Int) -> Int { offsets[k]?[i] ?? i }

  /// `f(x[…], y[…])` for every output element, inputs 0 and 1 of the plan.
  func map<A, B, R>(_ x: [A], _ y: [B], _ f: (A, B) -> R) -> [R] {
    (0..<count).map { i in f(x[index(0, i)], y[index(1, i)]) }
  }
}
