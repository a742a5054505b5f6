import ArgumentParser
import Foundation
import TesseraNN

/// `tessera inspect`: the layers, shapes, parameter counts, MACs and size of a model file.
struct Inspect: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the layers, shapes, parameter counts, MACs per layer and size of a model file.",
    discussion: """
      Reads any Tessera .safetensors model file (float or quantized), validates the graph
      against the tensors, and prints one row per layer.

        tessera inspect Models/mlp.safetensors
        tessera inspect Models/lenet.safetensors --format json
      """)

  @Argument(help: "The .safetensors model file.")
  var model: String

  @OptionGroup var output: OutputOptions

  func run() async throws {
    let file = try ModelFile(contentsOf: model)
    let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
    try output.emit(InspectReport(modelFile: file, path: model, fileBytes: size))
  }
}
