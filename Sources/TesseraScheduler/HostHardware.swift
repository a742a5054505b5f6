import Foundation
import Tessera

/// The running CPU as a hardware spec (`--hardware host`): one core's data caches from sysfs
/// between DRAM and the registers, bandwidths measured with a streaming read per level, and
/// the int8 instruction peak measured with `tsr_peak_gops` (ENERGY.md, "The host as a
/// hardware spec"). Energies are not modeled for the host (all 0); measured time is.
public enum HostHardware {
  /// What to measure.
  public struct Options: Sendable {
    /// Seconds per bandwidth measurement (at least 0.01).
    public var bandwidthSeconds: Double
    /// Seconds for the int8 peak measurement.
    public var peakSeconds: Double

    /// Makes options.
    /// - Parameters:
    ///   - bandwidthSeconds: time per streaming-read measurement.
    ///   - peakSeconds: time for the peak.
    public init(bandwidthSeconds: Double = 0.05, peakSeconds: Double = 0.1) {
      self.bandwidthSeconds = bandwidthSeconds
      self.peakSeconds = peakSeconds
    }
  }

  /// Register file of one core as the PE-local level: 32 vector registers of 64 bytes.
  public static let registerBytes = 32 * 64

  /// The host's clock in Hz: the maximum cpufreq frequency, else `/proc/cpuinfo`'s `cpu MHz`,
  /// else 1 GHz.
  public static var clockHz: Double {
    if let text = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding: .utf8),
      let kHz = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), kHz > 0
    {
      return kHz * 1e3
    }
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
      for line in text.split(separator: "\n") where line.hasPrefix("cpu MHz") {
        if let value = line.split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), value > 0 {
          return value * 1e6
        }
      }
    }
    return 1e9
  }

  /// Builds the host spec, measuring bandwidths and the int8 peak.
  /// - Parameters:
  ///   - options: measurement times.
  ///   - macsPerCycle: override of the measured int8 MACs per cycle (e.g. a kernel's measured rate).
  /// - Throws: ``SchedulerError/invalidSpec(path:message:)`` when no data cache is reported.
  public static func detect(options: Options = Options(), macsPerCycle: Double? = nil) throws -> HardwareSpec {
    let cpu = CPUInfo.current
    let caches = cpu.caches.filter(\.holdsData).sorted { $0.level > $1.level }
    guard !caches.isEmpty else {
      throw SchedulerError.invalidSpec(path: "host", message: "the OS reports no data caches (sysfs cache directory missing)")
    }
    let clock = clockHz
    let largest = caches.map(\.sizeBytes).max() ?? (32 << 20)
    func bandwidth(bytes: Int) -> Double {
      StreamingRead.bytesPerSecond(bufferBytes: bytes, seconds: options.bandwidthSeconds) / clock
    }
    var levels = [MemoryLevel(
      name: "DRAM", capacityBytes: nil, readBandwidth: bandwidth(bytes: 4 * largest),
      writeBandwidth: bandwidth(bytes: 4 * largest), readEnergyPerByte: 0, writeEnergyPerByte: 0)]
    for cache in caches {
      let bw = bandwidth(bytes: cache.sizeBytes / 2)
      // The kernels keep an mr-row activation tile in L1 and stream weight panels from L2
      // (qs8-gemm-run.c), so weights bypass L1.
      levels.append(MemoryLevel(
        name: "L\(cache.level)", capacityBytes: cache.sizeBytes, wordBits: cache.lineBytes * 8,
        readBandwidth: bw, writeBandwidth: bw, readEnergyPerByte: 0, writeEnergyPerByte: 0,
        holds: cache.level == 1 ? [.input, .output] : Set(TensorKind.allCases)))
    }
    levels.append(MemoryLevel(
      // Register accesses are part of the instruction peak: not a separate limit.
      name: "Regs", capacityBytes: registerBytes, wordBits: 512, readBandwidth: 1e9, writeBandwidth: 1e9,
      readEnergyPerByte: 0, writeEnergyPerByte: 0, perPE: true))
    let macs: Double
    if let macsPerCycle {
      macs = macsPerCycle
    } else if let peak = InstructionPeak.int8(for: ISA.best), peak.isSupported,
      let gops = peak.measure(minSeconds: options.peakSeconds)
    {
      macs = gops * 1e9 / 2 / clock
    } else {
      macs = 1
    }
    let overhead = (try? Int8Kernel.selected(for: .gemm)).map {
      KernelOverhead.invocationSeconds(kernel: $0, seconds: options.peakSeconds) * clock
    } ?? 0
    let array = PEArray(
      kind: .spatial, rows: 1, cols: 1, psumBits: 32,
      datatypes: [Datatype(name: "int8", bits: 8, macEnergyPJ: 0, macsPerPEPerCycle: max(1, Int(macs.rounded())))],
      dataflows: [.os], convLowering: .im2col, invocationOverheadCycles: overhead.rounded())
    let spec = HardwareSpec(
      name: "host",
      summary: "\(cpu.brand): one core, caches from sysfs, measured bandwidths (B/cycle at \(ReportNumberLite.format(clock / 1e9)) GHz: "
        + levels.dropLast().map { "\($0.name) \(ReportNumberLite.format($0.readBandwidth))" }.joined(separator: ", ")
        + "), int8 \(max(1, Int(macs.rounded()))) MACs/cycle, \(Int(overhead.rounded())) cycles per kernel invocation; energy not modeled",
      clockHz: clock, levels: levels, array: array)
    try spec.validate()
    return spec
  }
}

/// The fixed cost of one micro-kernel invocation, beyond its MACs.
enum KernelOverhead {
  /// Seconds per invocation: one call over `nr` columns costs the overhead plus one panel, one
  /// over `16·nr` columns the overhead plus 16 panels, so overhead = (t₁ − t₁₆/16)·16/15. Each
  /// time is the best of many batches (robust to other processes).
  static func invocationSeconds(kernel: Int8Kernel, k: Int = 512, seconds: Double) -> Double {
    let mr = kernel.mr, nr = kernel.nr
    guard let a = try? Tensor<Int8>(shape: [mr, k], scalars: (0..<(mr * k)).map { Int8(truncatingIfNeeded: $0 % 7 - 3) }) else { return 0 }
    func best(columns: Int) -> Double {
      guard let w = try? Tensor<Int8>(shape: [columns, k], scalars: (0..<(columns * k)).map { Int8(truncatingIfNeeded: $0 % 5 - 2) }),
        let weights = try? PackedInt8Weights(weights: w, bias: nil, inputZeroPoint: 0, kernel: kernel),
        let requantization = try? Requantization(scales: [Float](repeating: 1 / Float(k), count: columns))
      else { return 0 }
      var out = [Int8](repeating: 0, count: mr * columns)
      var best = Double.infinity
      let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0.01, seconds / 2) * 1e9)
      a.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
          repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<20 {
              int8GEMM(input.baseAddress!, m: mr, aStride: k, weights: weights, requantization: requantization,
                output: output.baseAddress!, outputStride: columns, threads: 1)
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / 20)
          } while DispatchTime.now().uptimeNanoseconds < deadline
        }
      }
      return best
    }
    let one = best(columns: nr), sixteen = best(columns: 16 * nr)
    return max(0, (one - sixteen / 16) * 16 / 15)
  }
}

/// Two-decimal formatting without depending on report helpers.
enum ReportNumberLite {
  static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// A streaming read over a buffer, to measure the bandwidth of the level it fits in.
///
/// Swift code is compiled for the baseline ISA (no `unsafeFlags`), so the loop uses 128-bit
/// loads: on cores with wider load ports the L1 (and sometimes L2) figure is a lower bound.
enum StreamingRead {
  /// Best bytes per second over repeated sweeps of a `bufferBytes` buffer for about `seconds`.
  static func bytesPerSecond(bufferBytes: Int, seconds: Double) -> Double {
    let vectors = max(64, bufferBytes / 64) / 4 * 4
    let raw = UnsafeMutableRawPointer.allocate(byteCount: vectors * 64, alignment: 64)
    defer { raw.deallocate() }
    let words = raw.bindMemory(to: UInt64.self, capacity: vectors * 8)
    for i in 0..<(vectors * 8) { words[i] = UInt64(i) }
    let p = UnsafeRawPointer(raw).bindMemory(to: SIMD8<UInt64>.self, capacity: vectors)
    var best = 0.0
    var sink = SIMD8<UInt64>()
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0.01, seconds) * 1e9)
    repeat {
      let start = DispatchTime.now().uptimeNanoseconds
      var a0 = SIMD8<UInt64>(), a1 = SIMD8<UInt64>(), a2 = SIMD8<UInt64>(), a3 = SIMD8<UInt64>()
      var i = 0
      while i < vectors {
        a0 &+= p[i]; a1 &+= p[i + 1]; a2 &+= p[i + 2]; a3 &+= p[i + 3]
        i += 4
      }
      sink &+= a0 &+ a1 &+ a2 &+ a3
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      if elapsed > 0 { best = max(best, Double(vectors * 64) / elapsed) }
    } while DispatchTime.now().uptimeNanoseconds < deadline
    if sink.wrappedSum() == 42 { print("", terminator: "") }  // keep the sums alive
    return best
  }
}
