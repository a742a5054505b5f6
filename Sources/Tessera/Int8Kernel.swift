import CTesseraKernels

/// The operation an int8 kernel is tuned for.
public enum KernelOp: String, CaseIterable, Sendable, Codable {
  /// General matrix product: several rows of activations per call.
  case gemm
  /// Matrix–vector product (batch 1, `mr == 1`), tuned to stream the weights once.
  case gemv

  /// The matching C enumerator.
  var cValue: tsr_op { self == .gemm ? TSR_OP_GEMM : TSR_OP_GEMV }
}

/// One compiled int8 micro-kernel (`qs8` activations × per-channel `qc8w` weights),
/// as listed by the C enumerator.
///
/// The ``name`` is the spec, e.g. `tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x16c4__avx512vnni`
/// = 4 rows (``mr``) × 16 columns (``nr``) per call, inner dimension packed in groups of
/// 4 (``kr``), AVX-512 VNNI.
///
/// For example:
/// ```swift
/// let kernel = try Int8Kernel.selected(for: .gemm)   // honours TESSERA_ISA
/// let weights = try PackedInt8Weights(weights: w, bias: nil, inputZeroPoint: 0, kernel: kernel)
/// ```
public struct Int8Kernel: Sendable, Hashable, CustomStringConvertible {
  /// The kernel's full C name.
  public let name: String
  /// The operation it implements.
  public let op: KernelOp
  /// The instruction-set path it needs.
  public let isa: ISA
  /// Rows of the output computed per micro-kernel call.
  public let mr: Int
  /// Columns per packed weight panel.
  public let nr: Int
  /// Inner-dimension grouping of the packed weights.
  public let kr: Int
  /// Position in the C kernel table (stable for the life of the process).
  let index: Int

  /// The C table entry.
  var cKernel: UnsafePointer<tsr_qs8_kernel> { tsr_qs8_kernel_at(index)! }

  /// Reads table entry `index`; nil for an unknown ISA or op value.
  init?(index: Int) {
    guard let entry = tsr_qs8_kernel_at(index), let isa = ISA(entry.pointee.isa) else { return nil }
    self.index = index
    self.name = entry.pointee.name.map { String(cString: $0) } ?? "kernel#\(index)"
    self.op = entry.pointee.op == TSR_OP_GEMV ? .gemv : .gemm
    self.isa = isa
    self.mr = Int(entry.pointee.mr)
    self.nr = Int(entry.pointee.nr)
    self.kr = Int(entry.pointee.kr)
  }

  /// Finds the Swift value for a C table entry pointer.
  init?(_ pointer: UnsafePointer<tsr_qs8_kernel>) {
    for index in 0..<tsr_qs8_kernel_count() where tsr_qs8_kernel_at(index) == pointer {
      self.init(index: index)
      return
    }
    return nil
  }

  /// The kernel name.
  public var description: String { name }

  /// True when the running CPU can execute this kernel.
  public var isSupported: Bool { isa.isSupported }

  /// Every compiled kernel, whatever the CPU supports, in enumerator order.
  public static var all: [Int8Kernel] {
    (0..<tsr_qs8_kernel_count()).compactMap { Int8Kernel(index: $0) }
  }

  /// The compiled kernels for one ISA (and optionally one op), for per-ISA test and
  /// benchmark sweeps.
  /// - Parameters:
  ///   - isa: the instruction-set path.
  ///   - op: restrict to this operation, or nil for both.
  public static func all(isa: ISA, op: KernelOp? = nil) -> [Int8Kernel] {
    all.filter { $0.isa == isa && (op == nil || $0.op == op) }
  }

  /// The best compiled and supported kernel for `op`, honouring the `TESSERA_ISA`
  /// environment variable (`scalar`, `avx2`, `avxvnni`, `avx512vnni`, `avx512amx`, `neondot`, `neoni8mm`).
  /// - Parameter op: the operation.
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` with the C dispatcher's message when
  ///   `TESSERA_ISA` is unknown or names an ISA this CPU or build lacks, or when no kernel exists.
  public static func selected(for op: KernelOp) throws -> Int8Kernel {
    var message = [CChar](repeating: 0, count: 256)
    let pointer = message.withUnsafeMutableBufferPointer { buffer in
      tsr_qs8_select_kernel(op.cValue, buffer.baseAddress, buffer.count)
    }
    return try kernel(pointer, message: message, op: op)
  }

  /// Like ``selected(for:)``, with the override given here instead of read from
  /// `TESSERA_ISA` (for a command-line `--isa` flag, or tests).
  /// - Parameters:
  ///   - op: the operation.
  ///   - isaOverride: an ISA word (`"scalar"`, `"avx2"`, …), or nil / `""` for the automatic choice.
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` with the C dispatcher's message (e.g.
  ///   `"TESSERA_ISA=avx512vnni: this CPU does not support AVX-512 VNNI"`) when the word is
  ///   unknown or names an ISA this CPU or build lacks.
  public static func selected(for op: KernelOp, isaOverride: String?) throws -> Int8Kernel {
    var message = [CChar](repeating: 0, count: 256)
    let pointer = message.withUnsafeMutableBufferPointer { buffer in
      tsr_qs8_select_kernel_for(op.cValue, isaOverride ?? "", buffer.baseAddress, buffer.count)
    }
    return try kernel(pointer, message: message, op: op)
  }

  /// Turns a dispatcher answer into a kernel or the dispatcher's error message.
  private static func kernel(
    _ pointer: UnsafePointer<tsr_qs8_kernel>?, message: [CChar], op: KernelOp
  ) throws -> Int8Kernel {
    guard let pointer else {
      let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      throw TesseraError.unsupportedISA(
        text.isEmpty ? "no int8 \(op.rawValue) kernel is available on this machine" : text)
    }
    guard let kernel = Int8Kernel(pointer) else {
      throw TesseraError.unsupportedISA("the selected \(op.rawValue) kernel is not in the kernel table")
    }
    return kernel
  }

  /// The kernel for an explicit ISA and op, or nil when that path is not compiled
  /// or not supported by this CPU.
  /// - Parameters:
  ///   - isa: the instruction-set path.
  ///   - op: the operation.
  public static func forISA(_ isa: ISA, op: KernelOp) -> Int8Kernel? {
    guard let pointer = tsr_qs8_kernel_for_isa(op.cValue, isa.cValue) else { return nil }
    return Int8Kernel(pointer)
  }

  /// Bytes of packed weights for an `n × k` matrix in this kernel's layout.
  /// - Parameters:
  ///   - n: output channels.
  ///   - k: inner dimension.
  public func packedByteCount(n: Int, k: Int) -> Int {
    tsr_qs8_qc8w_packed_size(cKernel, n, k)
  }

  /// Two kernels are the same table entry.
  public static func == (lhs: Int8Kernel, rhs: Int8Kernel) -> Bool { lhs.index == rhs.index }

  /// Hashes the table position.
  public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}
