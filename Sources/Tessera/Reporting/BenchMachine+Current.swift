extension BenchMachine {
  /// Describes the running machine: CPU brand, the int8 ISA Tessera selects for GEMM
  /// (honouring `TESSERA_ISA`), the BLAS summary and, when `peakSeconds > 0`, the measured
  /// one-core int8 peak of that ISA and the widest fp32 FMA peak.
  ///
  /// - Parameter peakSeconds: seconds per peak measurement; 0 skips measuring.
  /// - Returns: the description.
  /// - Throws: ``TesseraError/unsupportedISA(_:)`` when `TESSERA_ISA` names an unusable ISA,
  ///   ``TesseraError/invalidArgument(_:)`` when `peakSeconds` is negative or not finite.
  public static func current(peakSeconds: Double) throws -> BenchMachine {
    guard peakSeconds >= 0, peakSeconds.isFinite else {
      throw TesseraError.invalidArgument("peak measurement time must be a finite number of seconds ≥ 0, got \(peakSeconds)")
    }
    let isa = try Int8Kernel.selected(for: .gemm).isa
    var machine = BenchMachine(cpu: CPUInfo.current.brand, isa: isa.rawValue, blas: BLASInfo.summary)
    if peakSeconds > 0 {
      // The int8 denominator is the best ISA's peak even when TESSERA_ISA forces a slower
      // path, so "% of peak" always means "of what this machine can do".
      machine.int8PeakGOPS = InstructionPeak.int8(for: ISA.best)?.measure(minSeconds: peakSeconds)
        .map { ReportNumber.rounded($0) }
      machine.fp32PeakGOPS = InstructionPeak.bestFloat?.measure(minSeconds: peakSeconds)
        .map { ReportNumber.rounded($0) }
    }
    return machine
  }
}
