import Foundation
import Tessera

/// How an ``Engine`` is compiled and run.
///
/// For example:
/// ```swift
/// var configuration = EngineConfiguration()
/// configuration.isa = .scalar            // force the scalar kernels
/// configuration.debugReference = true    // re-run every int8 layer on the reference and compare
/// ```
public struct EngineConfiguration: Sendable, Hashable {
  /// Force one kernel ISA (nil = the dispatch table's best, honouring `TESSERA_ISA`).
  public var isa: ISA?
  /// Threads per call (the caller included): each int8 GEMM is split across them, and an int8
  /// chain model called with a batch of at least 16 samples instead runs whole-network slices of
  /// the batch on them (results are identical either way). Float chain models run their GEMMs in
  /// the BLAS library, whose own thread count applies (`BLASInfo.setThreads`).
  public var threads: Int
  /// Run every int8 layer on the scalar reference kernel (`tsr_qs8_qc8w_gemm_reference` on the
  /// unpacked weights) instead of the packed kernels: the engine's semantic definition.
  public var referenceKernels: Bool
  /// Also run every int8 layer on the reference and record any byte that differs
  /// (``RunDiagnostics/mismatches``). Defaults to the `TESSERA_VALIDATE_REFERENCE=1` environment variable.
  public var debugReference: Bool
  /// Use the GEMV kernels for dense layers at batch 1.
  public var useGEMV: Bool
  /// Run graphs that are not chains on the reference interpreter instead of compiling them with
  /// ``GraphPlan`` (to compare the two). Defaults to the `TESSERA_GRAPH_ENGINE=interpreter`
  /// environment variable.
  public var interpretGraphs: Bool

  /// Makes a configuration.
  /// - Parameters:
  ///   - isa: forced ISA, or nil for the best available.
  ///   - threads: threads per call (see ``threads``).
  ///   - referenceKernels: run the scalar reference instead of packed kernels.
  ///   - debugReference: compare every int8 layer with the reference.
  ///   - useGEMV: GEMV kernels at batch 1.
  ///   - interpretGraphs: run non-chain graphs on the reference interpreter.
  public init(
    isa: ISA? = nil, threads: Int = 1, referenceKernels: Bool = false,
    debugReference: Bool = ProcessInfo.processInfo.environment["TESSERA_VALIDATE_REFERENCE"] == "1",
    useGEMV: Bool = true,
    interpretGraphs: Bool = ProcessInfo.processInfo.environment["TESSERA_GRAPH_ENGINE"] == "interpreter"
  ) {
    self.isa = isa
    self.threads = Swift.max(1, threads)
    self.referenceKernels = referenceKernels
    self.debugReference = debugReference
    self.useGEMV = useGEMV
    self.interpretGraphs = interpretGraphs
  }
}

/// Errors from compiling or running an ``Engine``.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The input does not have `count × inputCount` values.
  case inputSize(expected: Int, got: Int)
  /// The model cannot be compiled (the message names the layer).
  case unsupported(String)
  /// An input is missing, has the wrong element type or shape, or holds values the model cannot
  /// take (the message names the input).
  case invalidInput(String)

  /// A one-line message.
  public var description: String {
    switch self {
    case let .inputSize(expected, got): "engine input: expected a multiple of \(expected) values per sample, got \(got)"
    case let .unsupported(message): message
    case let .invalidInput(message): message
    }
  }
}
