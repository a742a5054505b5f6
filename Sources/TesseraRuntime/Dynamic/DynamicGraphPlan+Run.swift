import Foundation
import Tessera
import TesseraGraph

extension DynamicGraphPlan {
  /// Runs the graph.
  /// - Parameters:
  ///   - feeds: a tensor for every graph input, by name.
  ///   - stepNanoseconds: when given, receives the time of each step (indexed like ``stepKinds``), added to what it holds.
  /// - Returns: the graph outputs in order.
  /// - Throws: ``EngineError/invalidInput(_:)`` for a missing input, a wrong element type, a
  ///   shape that disagrees with the graph's fixed dimensions or with another input's symbolic
  ///   dimension; `GraphIRError` from a fallback kernel (e.g. an index out of range).
  public func run(_ feeds: [String: GraphTensor], stepNanoseconds: UnsafeMutablePointer<[UInt64]>? = nil) throws -> [GraphTensor] {
    try checkInputs(feeds)
    let pool = pools.take()
    defer { pools.give(pool) }
    var values = [DynamicValue](repeating: .empty, count: slotCount)
    for (slot, t) in constants { values[slot] = .tensor(t) }
    for (info, slot) in zip(inputs, inputSlots) { values[slot] = .tensor(feeds[info.name]!) }
    defer {
      // Views share their source's buffer: give each buffer back once.
      var returned = Set<ObjectIdentifier>()
      for v in values {
        if case let .buffer(b, _) = v, returned.insert(ObjectIdentifier(b)).inserted { pool.give(b) }
      }
    }
    if let stepNanoseconds, stepNanoseconds.pointee.count != steps.count {
      stepNanoseconds.pointee = [UInt64](repeating: 0, count: steps.count)
    }
    for (i, step) in steps.enumerated() {
      let start = stepNanoseconds == nil ? 0 : DispatchTime.now().uptimeNanoseconds
      try execute(step, &values, pool)
      if let stepNanoseconds { stepNanoseconds.pointee[i] += DispatchTime.now().uptimeNanoseconds - start }
      for (r, members) in releases[i] {
        if case let .buffer(b, _) = values[r] { pool.give(b) }
        for m in members { values[m] = .empty }
      }
    }
    var result: [GraphTensor] = []
    for (slot, info) in zip(outputSlots, outputs) {
      guard let t = try values[slot].graphTensor() else {
        throw EngineError.invalidInput("output \(info.name) was not computed")
      }
      result.append(t)
    }
    return result
  }

  /// Checks every input's presence, element type and shape; symbolic dimensions must agree across inputs.
  func checkInputs(_ feeds: [String: GraphTensor]) throws {
    var bound: [String: (Int, String)] = [:]
    for info in inputs {
      guard let t = feeds[info.name] else {
        throw EngineError.invalidInput("missing input \(info.name) (the model takes \(inputs.map(\.name).joined(separator: ", ")))")
      }
      guard t.elementType == info.type.elementType else {
        throw EngineError.invalidInput("input \(info.name): element type \(t.elementType), the model takes \(info.type.elementType)")
      }
      guard let dims = info.type.shape else { continue }
      guard dims.count == t.shape.count else {
        throw EngineError.invalidInput("input \(info.name): rank \(t.shape.count) (shape \(t.shape)), the model takes \(info.type)")
      }
      for (d, size) in zip(dims, t.shape) {
        switch d {
        case let .fixed(v) where v != size:
          throw EngineError.invalidInput("input \(info.name): shape \(t.shape), the model takes \(info.type)")
        case let .symbol(s):
          if let (other, from) = bound[s], other != size {
            throw EngineError.invalidInput("input \(info.name): \(s) = \(size), but \(from) has \(s) = \(other)")
          }
          bound[s] = (size, info.name)
        default: break
        }
      }
      if t.elementType == .float32, let f = t.float32, !f.allSatisfy(\.isFinite) {
        throw EngineError.invalidInput("input \(info.name) contains NaN or infinity")
      }
    }
  }

  /// A fresh output buffer of `shape`.
  private func buffer(_ shape: [Int], _ pool: BufferPool) -> DynamicValue {
    .buffer(pool.take(shape.reduce(1, *)), shape: shape)
  }

  private func outPointer(_ v: DynamicValue) -> UnsafeMutablePointer<Float> {
    if case let .buffer(b, _) = v { return b.pointer }
    fatalError("output is not a buffer")
  }

  // swiftlint:disable:next cyclomatic_complexity function_body_length
  private func execute(_ step: DynamicStep, _ values: inout [DynamicValue], _ pool: BufferPool) throws {
    func input(_ i: Int) -> DynamicValue { step.inputs[i] >= 0 ? values[step.inputs[i]] : .empty }
    let what = "node \(step.name) (\(step.op))"
    switch step.kind {
    case let .linear(w):
      let x = input(0)
      let shape = x.shape
      guard let k = shape.last, k == w.k else {
        throw EngineError.invalidInput("\(what): input shape \(shape), expected last dimension \(w.k)")
      }
      let outShape = shape.dropLast() + [w.n]
      let out = buffer(Array(outShape), pool)
      let y = outPointer(out)
      let rows = shape.dropLast().reduce(1, *)
      try x.withFloats(what) { a, _ in
        if let q = w.int8 {
          q.apply(a, rows: rows, xStride: w.k, into: y, yStride: w.n, threads: threads)
          return
        }
        if let p = w.packed {
          p.apply(a, rows: rows, xStride: w.k, into: y, yStride: w.n, threads: threads)
          return
        }
        w.weights!.withUnsafeBufferPointer { wp in
          BLAS.sgemm(
            transposeA: false, transposeB: false, m: rows, n: w.n, k: w.k, alpha: 1, a: a, lda: w.k, b: wp.baseAddress!, ldb: w.n,
            beta: 0, c: y, ldc: w.n)
        }
      }
      DynamicKernels.epilogue(y, rows: rows, n: w.n, bias: w.bias, activation: w.activation)
      values[step.outputs[0]] = out
    case let .matMul(aPerm, bPerm, outPerm):
      try DynamicMatMul.run(
        a: input(0), aPerm: aPerm, b: input(1), bPerm: bPerm, outPerm: outPerm, pool: pool, what: what,
        into: &values[step.outputs[0]])
    case let .maskedSoftmax(scale):
      let x = input(0), m = input(1)
      let shape = x.shape, ms = m.shape
      guard shape.count == 4, ms.count == 4, ms[1] == 1, ms[2] == 1, ms[3] == shape[3], ms[0] == 1 || ms[0] == shape[0] else {
        throw EngineError.invalidInput("\(what): scores \(shape) and mask \(ms) do not fit [B, H, S, T] and [B or 1, 1, 1, T]")
      }
      let out = buffer(shape, pool)
      let y = outPointer(out)
      let rows = shape[1] * shape[2], n = shape[3]
      try x.withFloats(what) { px, _ in
        try m.withFloats(what) { pm, _ in
          for b in 0..<shape[0] {
            vectorMath.pointee.softmax(rows, n, px + b * rows * n, n, y + b * rows * n, n, scale, pm + (ms[0] == 1 ? 0 : b * n))
          }
        }
      }
      values[step.outputs[0]] = out
    case let .binary(op):
      let a = input(0), b = input(1)
      guard let shape = DynamicKernels.broadcast(a.shape, b.shape) else {
        throw EngineError.invalidInput("\(what): shapes \(a.shape) and \(b.shape) do not broadcast")
      }
      let out = buffer(shape, pool)
      try a.withFloats(what) { pa, sa in
        try b.withFloats(what) { pb, sb in DynamicKernels.binary(op, pa, sa, pb, sb, outPointer(out), shape) }
      }
      values[step.outputs[0]] = out
    case let .layerNorm(gamma, beta, eps):
      let x = input(0)
      let shape = x.shape
      guard let n = shape.last, n == gamma.count else {
        throw EngineError.invalidInput("\(what): input shape \(shape), expected last dimension \(gamma.count)")
      }
      let out = buffer(shape, pool)
      try x.withFloats(what) { p, _ in
        gamma.withUnsafeBufferPointer { g in
          if let beta {
            beta.withUnsafeBufferPointer { bt in
              DynamicKernels.layerNorm(p, rows: shape.reduce(1, *) / max(n, 1), n: n, gamma: g.baseAddress!, beta: bt.baseAddress!, epsilon: eps, outPointer(out))
            }
          } else {
            DynamicKernels.layerNorm(p, rows: shape.reduce(1, *) / max(n, 1), n: n, gamma: g.baseAddress!, beta: nil, epsilon: eps, outPointer(out))
          }
        }
      }
      values[step.outputs[0]] = out
    case let .addLayerNorm(gamma, beta, eps):
      let a = input(0), b = input(1)
      guard let shape = DynamicKernels.broadcast(a.shape, b.shape), let n = shape.last, n == gamma.count else {
        throw EngineError.invalidInput("\(what): shapes \(a.shape) and \(b.shape) do not broadcast to rows of \(gamma.count)")
      }
      let out = buffer(shape, pool)
      let y = outPointer(out), rows = shape.reduce(1, *) / max(n, 1)
      try a.withFloats(what) { pa, sa in
        try b.withFloats(what) { pb, sb in
          gamma.withUnsafeBufferPointer { g in
            DynamicKernels.addLayerNorm(pa, sa, pb, sb, rows: rows, n: n, gamma: g.baseAddress!, beta: beta, epsilon: eps, into: y, shape)
          }
        }
      }
      values[step.outputs[0]] = out
    case .softmax:
      let x = input(0)
      let shape = x.shape
      let out = buffer(shape, pool)
      let n = shape.last ?? 1
      try x.withFloats(what) { p, _ in DynamicKernels.softmax(p, rows: n == 0 ? 0 : shape.reduce(1, *) / n, n: n, outPointer(out)) }
      values[step.outputs[0]] = out
    case let .unary(op):
      let x = input(0)
      let out = buffer(x.shape, pool)
      try x.withFloats(what) { p, s in DynamicKernels.unary(op, p, outPointer(out), s.reduce(1, *)) }
      values[step.outputs[0]] = out
    case let .reduce(axis, keepDims, mean):
      let x = input(0)
      let shape = x.shape
      let a = axis < 0 ? axis + shape.count : axis
      guard a >= 0, a < shape.count else {
        throw EngineError.invalidInput("\(what): axis \(axis) outside the input's rank \(shape.count)")
      }
      var outShape = shape
      if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
      let out = buffer(outShape, pool)
      let y = outPointer(out)
      let outer = shape[..<a].reduce(1, *), n = shape[a], inner = shape[(a + 1)...].reduce(1, *)
      try x.withFloats(what) { p, _ in
        for o in 0..<outer {
          let dst = y + o * inner
          dst.update(repeating: 0, count: inner)
          for r in 0..<n {
            let src = p + (o * n + r) * inner
            for i in 0..<inner { dst[i] += src[i] }
          }
          if mean, n > 0 { let s = 1 / Float(n); for i in 0..<inner { dst[i] *= s } }
        }
      }
      values[step.outputs[0]] = out
    case let .transpose(perm):
      let x = input(0)
      guard perm.count == x.shape.count, Set(perm) == Set(0..<perm.count) else {
        throw EngineError.invalidInput("\(what): perm \(perm) does not fit shape \(x.shape)")
      }
      let out = buffer(perm.map { x.shape[$0] }, pool)
      try x.withFloats(what) { p, s in DynamicKernels.transpose(p, s, perm, outPointer(out)) }
      values[step.outputs[0]] = out
    case let .view(rule):
      let x = input(0)
      let shape = try DynamicViews.shape(rule, input: x.shape, operand: step.inputs.count > 1 ? try input(1).graphTensor() : nil, what: what)
      switch x {
      case let .buffer(b, _): values[step.outputs[0]] = .buffer(b, shape: shape)
      case let .tensor(t): values[step.outputs[0]] = .tensor(try t.reshaped(shape))
      case .empty: throw EngineError.invalidInput("\(what): input not computed")
      }
    case let .gatherRows(table):
      guard let indices = try input(0).graphTensor(), let ids = indices.integers else {
        throw EngineError.invalidInput("\(what): indices must be integers")
      }
      let rows = table.shape[0], h = table.shape[1]
      let out = buffer(indices.shape + [h], pool)
      let y = outPointer(out)
      try table.float32!.withUnsafeBufferPointer { t in
        for (i, id) in ids.enumerated() {
          let r = id < 0 ? id + rows : id
          guard r >= 0, r < rows else {
            throw EngineError.invalidInput("\(what): index \(id) is outside the table's \(rows) rows")
          }
          (y + i * h).update(from: t.baseAddress! + r * h, count: h)
        }
      }
      values[step.outputs[0]] = out
    case let .slice(node):
      let axes = step.inputs.count > 3 && step.inputs[3] >= 0 ? input(3) : nil
      let steps = step.inputs.count > 4 && step.inputs[4] >= 0 ? input(4) : nil
      if let out = try DynamicSlice.run(data: input(0), starts: input(1), ends: input(2), axes: axes, steps: steps, pool: pool) {
        values[step.outputs[0]] = out
        return
      }
      try fallback(node, step, &values)
    case let .fallback(node):
      try fallback(node, step, &values)
    }
  }

  /// Runs `node` on the reference interpreter.
  private func fallback(_ node: Node, _ step: DynamicStep, _ values: inout [DynamicValue]) throws {
    let ins = try step.inputs.map { $0 >= 0 ? try values[$0].graphTensor() : nil }
    let outs = try OperatorKernels.evaluate(node, inputs: ins, opset: graph.opset)
    for (slot, t) in zip(step.outputs, outs) where slot >= 0 { values[slot] = .tensor(t) }
  }
}
