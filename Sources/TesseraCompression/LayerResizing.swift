import Tessera
import TesseraNN

/// Copies of layers, whole or with a subset of their outputs or inputs, for the methods that
/// change shapes (channel pruning, low-rank factorization). The original layers are never changed.
enum LayerResizing {
  /// An independent copy of a built-in layer (same kind, attributes, parameter values and mode).
  /// - Throws: ``CompressionError/unsupportedLayer(_:)`` for a layer kind TesseraNN does not build.
  static func clone(_ layer: any Layer, inputShape: [Int]) throws -> any Layer {
    let copy: any Layer
    do {
      copy = try LayerKinds.makeLayer(try layer.spec(inputShape: inputShape))
    } catch {
      throw CompressionError.unsupportedLayer("layer '\(layer.name)' (\(layer.kind)): cannot be copied (\(error))")
    }
    for (target, source) in zip(copy.parameters, layer.parameters) { target.value = source.value }
    copy.isTraining = layer.isTraining
    return copy
  }

  /// A copy of `model` whose layers share nothing with the original.
  static func clone(_ model: Sequential) throws -> Sequential {
    let shapes = try model.layerShapes()
    let layers = try zip(model.layers, shapes).map { try clone($0, inputShape: $1.input) }
    return Sequential(name: model.name, inputShape: model.inputShape, normalization: model.normalization, layers: layers)
  }

  /// Rows `rows` of a row-major `[count / width, width]` array.
  static func rows(_ values: [Float], width: Int, _ rows: [Int]) -> [Float] {
    var out = [Float]()
    out.reserveCapacity(rows.count * width)
    for r in rows { out.append(contentsOf: values[(r * width)..<((r + 1) * width)]) }
    return out
  }

  /// Columns `columns` of a row-major `[count / width, width]` array, where each column is a
  /// block of `block` consecutive values (a Conv2D input channel is a block of kh·kw).
  static func columns(_ values: [Float], width: Int, block: Int = 1, _ columns: [Int]) -> [Float] {
    let rowCount = values.count / width
    var out = [Float]()
    out.reserveCapacity(rowCount * columns.count * block)
    for r in 0..<rowCount {
      for c in columns {
        let start = r * width + c * block
        out.append(contentsOf: values[start..<(start + block)])
      }
    }
    return out
  }

  /// The Dense layer with only the outputs `keep` (weight rows and bias entries).
  static func dense(_ layer: Dense, keepingOutputs keep: [Int]) -> Dense {
    let copy = Dense(inputs: layer.inputs, outputs: keep.count, bias: layer.bias != nil, name: layer.name)
    copy.weight.value = rows(layer.weight.value, width: layer.inputs, keep)
    if let bias = layer.bias { copy.bias?.value = keep.map { bias.value[$0] } }
    copy.isTraining = layer.isTraining
    return copy
  }

  /// The Dense layer with only the inputs `keep` (weight columns).
  static func dense(_ layer: Dense, keepingInputs keep: [Int]) -> Dense {
    let copy = Dense(inputs: keep.count, outputs: layer.outputs, bias: layer.bias != nil, name: layer.name)
    copy.weight.value = columns(layer.weight.value, width: layer.inputs, keep)
    if let bias = layer.bias { copy.bias?.value = bias.value }
    copy.isTraining = layer.isTraining
    return copy
  }

  /// The Conv2D layer with only the filters `keep`.
  static func conv(_ layer: Conv2D, keepingOutputs keep: [Int]) -> Conv2D {
    let copy = Conv2D(
      inputChannels: layer.inputChannels, outputChannels: keep.count, kernelSize: layer.kernelSize,
      stride: layer.stride, padding: layer.padding, bias: layer.bias != nil, name: layer.name)
    copy.weight.value = rows(layer.weight.value, width: layer.weight.count / layer.outputChannels, keep)
    if let bias = layer.bias { copy.bias?.value = keep.map { bias.value[$0] } }
    copy.isTraining = layer.isTraining
    return copy
  }

  /// The Conv2D layer with only the input channels `keep`.
  static func conv(_ layer: Conv2D, keepingInputs keep: [Int]) -> Conv2D {
    let copy = Conv2D(
      inputChannels: keep.count, outputChannels: layer.outputChannels, kernelSize: layer.kernelSize,
      stride: layer.stride, padding: layer.padding, bias: layer.bias != nil, name: layer.name)
    let window = layer.kernelSize.0 * layer.kernelSize.1
    copy.weight.value = columns(layer.weight.value, width: layer.inputChannels * window, block: window, keep)
    if let bias = layer.bias { copy.bias?.value = bias.value }
    copy.isTraining = layer.isTraining
    return copy
  }

  /// The BatchNorm layer with only the features `keep` (scale, shift and running statistics).
  static func batchNorm(_ layer: BatchNorm, keeping keep: [Int]) -> BatchNorm {
    let copy = BatchNorm(featureCount: keep.count, epsilon: layer.epsilon, momentum: layer.momentum, name: layer.name)
    for (target, source) in zip(copy.parameters, layer.parameters) { target.value = keep.map { source.value[$0] } }
    copy.isTraining = layer.isTraining
    return copy
  }
}
