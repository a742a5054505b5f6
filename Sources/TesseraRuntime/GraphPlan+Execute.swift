import Foundation
import TesseraNN

extension GraphPlan {
  /// Runs a batch.
  /// - Parameters:
  ///   - input: `count × inputCount` values, sample after sample (row-major `[count] + sampleShape`).
  ///   - count: samples (≥ 1; equal to the batch size when the graph fixes it).
  ///   - observe: called after each Gemm/MatMul/Conv node (fused or not) with the node's name
  ///     and its output (NCHW, all samples): the value after BatchNorm folding and before a fused
  ///     activation, as the interpreter sees that node's output in the unfused graph.
  /// - Returns: one tensor per graph output (``outputNames`` order), of shape `[count] + …`.
  /// - Throws: ``EngineError/inputSize(expected:got:)`` for a wrong input size,
  ///   ``EngineError/unsupported(_:)`` for a count the graph's fixed batch forbids, and the
  ///   `GraphIRError` of a fallback node that rejects its inputs.
  /// - Complexity: the sum of the steps' kernels.
  public func run(_ input: [Float], count: Int, observe: ((String, [Float]) -> Void)? = nil) throws -> [GraphTensor] {
    var diagnostics = RunDiagnostics()
    return try run(input, count: count, profile: false, diagnostics: &diagnostics, observe: observe)
  }

  /// ``run(_:count:observe:)`` with optional per-step timing into `diagnostics.steps`.
  func run(
    _ input: [Float], count: Int, profile: Bool, diagnostics: inout RunDiagnostics,
    observe: ((String, [Float]) -> Void)?
  ) throws -> [GraphTensor] {
    guard count > 0, input.count == count * inputCount else {
      throw EngineError.inputSize(expected: inputCount, got: input.count)
    }
    if case let .fixed(size) = batch, size != count {
      throw EngineError.unsupported("'\(graph.name)': input '\(inputName)' has a fixed batch of \(size), got \(count) samples")
    }
    let pooled = arenas.take(arenaBytes(count: count))
    defer { arenas.give(pooled) }
    let arena = pooled.pointer
    let scratch = (arena + count * arenaBytesPerSample).assumingMemoryBound(to: Float.self)
    var side = [GraphTensor?](repeating: nil, count: sideCount)
    var local = RunDiagnostics()
    if profile {
      local.steps = steps.map {
        StepProfile(name: $0.name, kind: $0.kindName, nanoseconds: 0, macs: 0, bytes: 0, calls: 0)
      }
    }
    return try input.withUnsafeBufferPointer { inputBuffer in
      let context = ExecutionContext(
        plan: self, input: inputBuffer.baseAddress!, arena: arena, count: count, scratch: scratch)
      for (index, step) in steps.enumerated() {
        let start = profile ? DispatchTime.now().uptimeNanoseconds : 0
        try context.execute(step, side: &side, observe: step.observed ? observe : nil)
        if profile {
          local.steps[index].nanoseconds += DispatchTime.now().uptimeNanoseconds - start
          local.steps[index].macs += step.macs * count
          local.steps[index].calls += 1
        }
      }
      diagnostics.accumulate(local)
      return try outputValues.map { try context.tensor($0, side: side) }
    }
  }
}

/// One call's memory: the input, the arena and the scratch, and how values map onto them.
struct ExecutionContext {
  let plan: GraphPlan
  let input: UnsafePointer<Float>
  let arena: UnsafeMutableRawPointer
  let count: Int
  let scratch: UnsafeMutablePointer<Float>

  /// The memory of a batched value (the input is never written: no step writes a view of it).
  func pointer(_ value: Int) -> UnsafeMutablePointer<Float> {
    switch plan.values[value].location {
    case .input: return UnsafeMutablePointer(mutating: input)
    case let .arena(offset): return (arena + offset * count).assumingMemoryBound(to: Float.self)
    default: preconditionFailure("value '\(plan.values[value].name)' is not batched")
    }
  }

  /// A value as a tensor (`[count] + sampleShape` for batched values).
  func tensor(_ value: Int, side: [GraphTensor?]) throws -> GraphTensor {
    let v = plan.values[value]
    switch v.location {
    case let .constant(t): return t
    case let .side(i):
      guard let t = side[i] else { throw EngineError.unsupported("value '\(v.name)' was not computed") }
      return t
    case .input, .arena:
      let n = count * v.sampleCount
      return try GraphTensor(float32: Array(UnsafeBufferPointer(start: pointer(value), count: n)), shape: [count] + v.sampleShape!)
    }
  }

  /// Runs one step.
  func execute(_ step: GraphStep, side: inout [GraphTensor?], observe: ((String, [Float]) -> Void)?) throws {
    let out = step.outputs[0]
    func x(_ i: Int) -> UnsafePointer<Float> { UnsafePointer(pointer(step.inputs[i])) }
    // Observed linear steps report the value before the fused activation: the step's own
    // output before the activation is applied, or the unfused node's (``GraphStep/observation``).
    let n = count * (out >= 0 ? plan.values[out].sampleCount : 0)
    let direct = observe != nil && step.observation == nil
    if let observe, let original = step.observation { observe(step.name, run(original, x(0), count: n)) }
    switch step.kind {
    case let .linear(l):
      l.run(x(0), into: pointer(out), count: count, activate: !direct)
      if direct, let observe {
        observe(step.name, Array(UnsafeBufferPointer(start: pointer(out), count: n)))
        l.activation.apply(pointer(out), count: n)
      }
    case let .conv(c):
      c.run(x(0), into: pointer(out), count: count, scratch: scratch, activate: !direct)
      if direct, let observe {
        observe(step.name, Array(UnsafeBufferPointer(start: pointer(out), count: n)))
        c.activation.apply(pointer(out), count: n)
      }
    case let .binary(b):
      b.run(x(0), step.inputs.count > 1 ? x(1) : nil, into: pointer(out), count: count)
    case let .unary(u):
      u.run(x(0), into: pointer(out), total: count * plan.values[out].sampleCount)
    case let .pool(p):
      p.run(x(0), into: pointer(out), count: count)
    case let .globalAveragePool(planes, spatial):
      NCHWKernels.globalAverage(x(0), planes: count * planes, spatial: spatial, into: pointer(out))
    case let .concat(c):
      NCHWKernels.concat(step.inputs.indices.map(x), chunks: c.chunks, outer: count * c.outer, into: pointer(out))
    case let .softmax(length):
      NCHWKernels.softmax(x(0), groups: count * plan.values[out].sampleCount / Swift.max(length, 1), length: length, into: pointer(out))
    case let .fallback(f):
      try fallback(f, step, side: &side, observe: observe)
    }
  }

  /// The `n` output values of an unfused linear kernel (``GraphStep/observation``) on `x`.
  private func run(_ kind: GraphStepKind, _ x: UnsafePointer<Float>, count n: Int) -> [Float] {
    var values = [Float](repeating: 0, count: n)
    values.withUnsafeMutableBufferPointer { y in
      switch kind {
      case let .linear(l): l.run(x, into: y.baseAddress!, count: count, activate: false)
      case let .conv(c): c.run(x, into: y.baseAddress!, count: count, scratch: scratch, activate: false)
      default: break
      }
    }
    return values
  }

  /// Evaluates a node on the reference kernels and stores its outputs.
  private func fallback(
    _ f: FallbackKernel, _ step: GraphStep, side: inout [GraphTensor?], observe: ((String, [Float]) -> Void)?
  ) throws {
    let inputs = try step.inputs.map { $0 < 0 ? nil : try tensor($0, side: side) }
    var results = try OperatorKernels.evaluate(f.node, inputs: inputs, opset: f.opset)
    if f.activation != .identity, var first = results.first?.float32 {
      if let observe { observe(step.name, first) }
      first.withUnsafeMutableBufferPointer { f.activation.apply($0.baseAddress!, count: $0.count) }
      results[0] = try GraphTensor(float32: first, shape: results[0].shape)
    } else if let observe, let first = results.first {
      observe(step.name, first.doubles.map { Float($0) })
    }
    for (j, value) in step.outputs.enumerated() where value >= 0 {
      guard j < results.count else {
        throw GraphIRError.invalidNode(node: f.node.name, op: f.node.op, reason: "output \(j) is not produced")
      }
      let v = plan.values[value]
      switch v.location {
      case let .side(i): side[i] = results[j]
      case .arena:
        let expected = [count] + v.sampleShape!
        guard results[j].shape == expected, let floats = results[j].float32 else {
          throw EngineError.unsupported(
            "node '\(f.node.name)' (\(f.node.op)) gave \(results[j].type) for '\(v.name)', expected float32\(expected)")
        }
        floats.withUnsafeBufferPointer { pointer(value).update(from: $0.baseAddress!, count: $0.count) }
      default: break
      }
    }
  }
}
