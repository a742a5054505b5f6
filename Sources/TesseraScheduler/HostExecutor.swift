import Foundation
import Tessera

/// Runs a GEMM mapping on the host with the real int8 kernels and counts the bytes its tiling
/// moves through each level exactly as the cost model defines them.
///
/// The mapping's loop nest is replayed by `TrafficSimulator` (which counts every refill of
/// every level's tile); each innermost shared tile (an L1 tile: `m × n` rows and columns and the
/// whole reduction) becomes one call of the Swift int8 GEMM façade on weights packed for that
/// column range, issued in the mapping's loop order. Inside a call the kernel walks `mr`-row
/// tiles and `nr`-column panels, the order the host mapper assumes. Convolutions run as their
/// im2col GEMM (the host lowers them so).
public final class HostExecutor {
  /// The layer as modeled (a GEMM: `n` = M rows, `k` = N columns, `c` = K).
  public let shape: LayerShape
  /// The mapping run.
  public let mapping: Mapping
  /// Bytes read plus written at each level per run, as the model counts them.
  public let levelBytes: [Double]
  /// Kernel calls per run.
  public var calls: Int { tiles.count }

  private let tiles: [(m0: Int, m: Int, n0: Int, n: Int)]
  private let packed: [Int: (weights: PackedInt8Weights, requantization: Requantization)]
  private let a: UnsafeMutablePointer<Int8>
  private let c: UnsafeMutablePointer<Int8>

  /// Prepares operands, packs weights and replays the loop nest.
  /// - Parameters:
  ///   - cost: a layer's cost (its modeled shape and mapping) on `spec`.
  ///   - spec: the host spec.
  ///   - kernel: the int8 GEMM kernel to run.
  /// - Throws: ``SchedulerError/executionFailed(_:)`` for a non-GEMM shape, a split reduction or
  ///   a column tile that does not start on a kernel panel; kernel packing errors.
  public init(cost: LayerCost, spec: HardwareSpec, kernel: Int8Kernel) throws {
    shape = cost.modeledShape
    mapping = cost.mapping
    guard shape.isGEMM else { throw SchedulerError.executionFailed("the host runs GEMMs (got a direct convolution)") }
    let m = shape[.n], n = shape[.k], k = shape[.c]
    var sim = TrafficSimulator(shape: shape, mapping: mapping, spec: spec, recordInnermostTiles: true)
    sim.run()
    let datatype = try spec.datatype(inputBits: cost.workload.inputBits, weightBits: cost.workload.weightBits)
    let sizes = ElementSizes(spec: spec, workload: cost.workload, datatype: datatype)
    let outputs = shape.elements(of: .output)
    levelBytes = spec.levels.indices.map { level in
      let b = CostModel.bytes(level: level, reads: sim.reads[level], writes: sim.writes[level], sizes: sizes, outputs: outputs)
      return b.read + b.write
    }
    var tiles: [(m0: Int, m: Int, n0: Int, n: Int)] = []
    for tile in sim.innermostTiles {
      guard tile.extent[ProblemDim.c.rawValue] == k else {
        throw SchedulerError.executionFailed("the kernels need the whole reduction (K = \(k)) per call; the mapping splits it")
      }
      guard tile.start[ProblemDim.k.rawValue] % kernel.nr == 0 else {
        throw SchedulerError.executionFailed("column tile at \(tile.start[ProblemDim.k.rawValue]) does not start on an nr = \(kernel.nr) panel")
      }
      tiles.append((tile.start[0], tile.extent[0], tile.start[1], tile.extent[1]))
    }
    self.tiles = tiles
    // Operands: deterministic small values; weights packed once per distinct column range.
    a = .allocate(capacity: m * k)
    c = .allocate(capacity: m * n)
    for i in 0..<(m * k) { a[i] = Int8(truncatingIfNeeded: (i &* 7 &+ 3) % 17 - 8) }
    var packs: [Int: (weights: PackedInt8Weights, requantization: Requantization)] = [:]
    for tile in tiles where packs[tile.n0 << 32 | tile.n] == nil {
      var w = [Int8](repeating: 0, count: tile.n * k)
      for i in w.indices { w[i] = Int8(truncatingIfNeeded: ((tile.n0 * k + i) &* 5 &+ 1) % 15 - 7) }
      let weights = try PackedInt8Weights(
        weights: Tensor(shape: [tile.n, k], scalars: w), bias: nil, inputZeroPoint: 0, kernel: kernel)
      let requantization = try Requantization(scales: [Float](repeating: 1 / Float(k), count: tile.n))
      packs[tile.n0 << 32 | tile.n] = (weights, requantization)
    }
    packed = packs
  }

  /// The output of the last run, row-major `[M, N]`.
  public func output() -> [Int8] { Array(UnsafeBufferPointer(start: c, count: shape[.n] * shape[.k])) }

  /// The same GEMM as one façade call over all columns (the reference for the tiled run).
  /// - Parameter kernel: the kernel to pack for.
  /// - Throws: packing errors.
  public func referenceOutput(kernel: Int8Kernel) throws -> [Int8] {
    let m = shape[.n], n = shape[.k], k = shape[.c]
    var w = [Int8](repeating: 0, count: n * k)
    for i in w.indices { w[i] = Int8(truncatingIfNeeded: (i &* 5 &+ 1) % 15 - 7) }
    let weights = try PackedInt8Weights(weights: Tensor(shape: [n, k], scalars: w), bias: nil, inputZeroPoint: 0, kernel: kernel)
    let requantization = try Requantization(scales: [Float](repeating: 1 / Float(k), count: n))
    var out = [Int8](repeating: 0, count: m * n)
    out.withUnsafeMutableBufferPointer { buffer in
      int8GEMM(a, m: m, aStride: k, weights: weights, requantization: requantization, output: buffer.baseAddress!, outputStride: n, threads: 1)
    }
    return out
  }

  deinit {
    a.deallocate()
    c.deallocate()
  }

  /// One run of every kernel call in loop-nest order, on the calling thread.
  public func runOnce() {
    let k = shape[.c], n = shape[.k]
    for tile in tiles {
      let pack = packed[tile.n0 << 32 | tile.n]!
      int8GEMM(
        a + tile.m0 * k, m: tile.m, aStride: k, weights: pack.weights, requantization: pack.requantization,
        output: c + tile.m0 * n + tile.n0, outputStride: n, threads: 1)
    }
  }

  /// Times repeated runs (one warm-up, then at least `minRuns` and about `minSeconds`) and
  /// keeps the fastest: on a shared machine, interference only ever slows a run down.
  /// - Parameters:
  ///   - minSeconds: measuring time.
  ///   - minRuns: fewest timed runs.
  /// - Returns: the fastest run's GOP/s and seconds with the counted bytes.
  public func measure(minSeconds: Double = 0.3, minRuns: Int = 5) -> HostMeasurement {
    runOnce()
    var times: [Double] = []
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(minSeconds * 1e9)
    while times.count < minRuns || DispatchTime.now().uptimeNanoseconds < deadline {
      let start = DispatchTime.now().uptimeNanoseconds
      runOnce()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      if times.count >= 1000 { break }
    }
    let best = times.min()!
    return HostMeasurement(gops: 2 * Double(shape.macs) / best / 1e9, seconds: best, levelBytes: levelBytes, runs: times.count)
  }
}
