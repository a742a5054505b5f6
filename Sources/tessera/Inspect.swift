import ArgumentParser
import Foundation
import TesseraNN
import TesseraRuntime

/// `tessera inspect`: the layers, shapes, parameter counts, MACs and size of a model file.
struct Inspect: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the layers, shapes, parameter counts, MACs per layer and size of a model file.",
    discussion: """
      Reads any Tessera .safetensors model file (float or quantized), validates the graph
      against the tensors, and prints one row per layer. For an ONNX file or a graph model file
      (graph JSON v2) it prints the graph summary instead: inputs, outputs, operators, the engine
      that runs it, and for a QDQ graph the nodes that compute in float (float_nodes).

        tessera inspect Models/mlp.safetensors
        tessera inspect Models/lenet.safetensors --format json
        tessera inspect model.onnx
      """)

  @Argument(help: "The model file: .safetensors (version 1 or 2) or .onnx.")
  var model: String

  @OptionGroup var output: OutputOptions

  func run() async throws {
    if try ModelSource.isGraphFile(model) {
      try output.emit(try GraphSummaryReport(graph: try ModelSource.graph(model), model: model))
      return
    }
    let file = try ModelFile(contentsOf: model)
    let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
    try output.emit(InspectReport(modelFile: file, path: model, fileBytes: size))
  }
}
