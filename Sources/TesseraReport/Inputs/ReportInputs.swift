/// A value read from a file, with the file's name for the page.
public struct Sourced<Value: Sendable>: Sendable {
  /// The file it came from (shown on the page as given).
  public var source: String
  /// The value.
  public var value: Value

  /// Makes a sourced value.
  /// - Parameters:
  ///   - source: file name.
  ///   - value: the value.
  public init(source: String, value: Value) {
    self.source = source
    self.value = value
  }
}

/// Everything one report page shows; each section appears only when its input is present.
public struct ReportInputs: Sendable {
  /// Page title.
  public var title: String
  /// `tessera train --format json`.
  public var training: Sourced<TrainingRun>?
  /// `tessera validate --format json`.
  public var validation: Sourced<ValidationRun>?
  /// `tessera quantize --format json`.
  public var quantization: Sourced<QuantizationRun>?
  /// `tessera schedule --format json` runs (one per hardware).
  public var schedules: [Sourced<ScheduleRun>]
  /// `tessera codesign` points, with the files they came from.
  public var designPoints: [DesignPoint]
  /// The files the design points came from.
  public var designSources: [String]
  /// Per-layer sensitivity.
  public var sensitivity: Sourced<SensitivityRun>?

  /// Makes inputs.
  /// - Parameters:
  ///   - title: page title.
  ///   - training: train output.
  ///   - validation: validate output.
  ///   - quantization: quantize output.
  ///   - schedules: schedule runs.
  ///   - designPoints: codesign points.
  ///   - designSources: codesign files.
  ///   - sensitivity: sensitivity output.
  public init(
    title: String, training: Sourced<TrainingRun>? = nil, validation: Sourced<ValidationRun>? = nil,
    quantization: Sourced<QuantizationRun>? = nil, schedules: [Sourced<ScheduleRun>] = [], designPoints: [DesignPoint] = [],
    designSources: [String] = [], sensitivity: Sourced<SensitivityRun>? = nil
  ) {
    self.title = title
    self.training = training
    self.validation = validation
    self.quantization = quantization
    self.schedules = schedules
    self.designPoints = designPoints
    self.designSources = designSources
    self.sensitivity = sensitivity
  }

  /// Whether no input was given.
  public var isEmpty: Bool {
    training == nil && validation == nil && quantization == nil && schedules.isEmpty && designPoints.isEmpty && sensitivity == nil
  }
}
