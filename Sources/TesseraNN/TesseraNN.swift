@_exported import TesseraGraph
/// TesseraNN: float layers with forward and backward passes, losses, optimizers, the training
/// loop, datasets and the `.safetensors` model file.
///
/// The pieces, from the bottom up:
/// - ``Parameter``: a named float array with its gradient.
/// - ``Layer``: forward (`callAsFunction`) and backward passes on batch-first NCHW tensors;
///   ``Dense``, ``Conv2D``, ``MaxPool2D``, ``AvgPool2D``, ``ReLU``, ``Flatten``, ``BatchNorm``,
///   ``Dropout``, ``Softmax``, composed by ``Sequential``.
/// - ``softmaxCrossEntropy(logits:labels:)``, ``SGD``, ``Adam``, ``LearningRateSchedule``,
///   ``Trainer``.
/// - ``Dataset`` (bundled CSV, MNIST IDX) with ``Dataset/stratifiedSplit(trainFraction:)``.
/// - `SafeTensorsFile` and ``ModelFile`` (graph JSON in `__metadata__["tessera.graph"]`).
public enum TesseraNNModule {
  /// Version of the graph JSON schema written into model files.
  public static let graphVersion = 1
}
