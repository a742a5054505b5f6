/// The reference architectures trained by `tessera train --model mlp|lenet`.
public enum ModelZoo {
  /// Names accepted by ``model(named:)``.
  public static let names = ["mlp", "lenet"]

  /// The model called `name`.
  /// - Parameter name: `"mlp"` or `"lenet"`.
  /// - Returns: a freshly built model, or nil for another name.
  public static func model(named name: String) -> Sequential? {
    switch name {
    case "mlp": mlp()
    case "lenet": lenet()
    default: nil
    }
  }

  /// MLP 784-256-128-10 with ReLU. Training adds BatchNorm after each hidden Dense and Dropout
  /// before each Dense after the first; both vanish at export (BatchNorm folds into the Dense
  /// weights), so the exported model is exactly Flatten → Dense 784→256 → ReLU → Dense 256→128 →
  /// ReLU → Dense 128→10.
  public static func mlp() -> Sequential {
    Sequential(name: "mlp", inputShape: [1, 28, 28], layers: [
      Flatten(name: "flatten"),
      Dense(inputs: 784, outputs: 256, name: "fc1"), BatchNorm(featureCount: 256, name: "bn1"), ReLU(name: "relu1"),
      Dropout(rate: 0.2, name: "drop1"),
      Dense(inputs: 256, outputs: 128, name: "fc2"), BatchNorm(featureCount: 128, name: "bn2"), ReLU(name: "relu2"),
      Dropout(rate: 0.2, name: "drop2"),
      Dense(inputs: 128, outputs: 10, name: "fc3"),
    ])
  }

  /// A LeNet-style CNN: conv 5×5 (pad 2) → BN → ReLU → max-pool 2 → conv 5×5 → BN → ReLU →
  /// max-pool 2 → Dense 120 → BN → ReLU → Dense 84 → ReLU → Dense 10. BatchNorm folds into the
  /// convolutions and dense layers at export.
  public static func lenet() -> Sequential {
    Sequential(name: "lenet", inputShape: [1, 28, 28], layers: [
      Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 2, name: "conv1"),
      BatchNorm(featureCount: 6, name: "bn1"), ReLU(name: "relu1"), MaxPool2D(kernelSize: 2, name: "pool1"),
      Conv2D(inputChannels: 6, outputChannels: 16, kernelSize: 5, name: "conv2"),
      BatchNorm(featureCount: 16, name: "bn2"), ReLU(name: "relu2"), MaxPool2D(kernelSize: 2, name: "pool2"),
      Flatten(name: "flatten"),
      Dense(inputs: 400, outputs: 120, name: "fc1"), BatchNorm(featureCount: 120, name: "bn3"), ReLU(name: "relu3"),
      Dropout(rate: 0.25, name: "drop1"),
      Dense(inputs: 120, outputs: 84, name: "fc2"), ReLU(name: "relu4"),
      Dense(inputs: 84, outputs: 10, name: "fc3"),
    ])
  }
}
