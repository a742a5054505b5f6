import ArgumentParser
import Tessera

/// `tessera info`: what Tessera sees on this machine and which kernels it will use.
struct Info: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Show the CPU, its ISA features, the int8 kernel chosen per op, the BLAS library and the caches.",
    discussion: "TESSERA_ISA=scalar|avx2|avxvnni|avx512vnni|avx512amx|neondot|neoni8mm forces an ISA; info shows the effect.")

  @OptionGroup var output: OutputOptions

  func run() async throws {
    try output.emit(InfoReport.current())
  }
}
