/// Assembles the self-contained report page: inline CSS and SVG, no scripts, no outside assets
/// (fonts, images or links), one section per input given.
///
/// For example:
/// ```swift
/// let inputs = ReportInputs(title: "LeNet run", training: Sourced(source: "train.json", value: run))
/// let page = HTMLReport.render(inputs)   // write it with a temp file + rename
/// ```
public enum HTMLReport {
  /// The sections for `inputs`, in page order: training, validation, quantization, sensitivity,
  /// schedule, co-design.
  /// - Parameter inputs: what to show.
  /// - Returns: one section per input present.
  public static func sections(_ inputs: ReportInputs) -> [ReportSection] {
    var sections: [ReportSection] = []
    if let training = inputs.training { sections.append(TrainingSection.make(training)) }
    if let validation = inputs.validation { sections.append(ValidationSection.make(validation)) }
    if let quantization = inputs.quantization { sections.append(QuantizationSection.make(quantization)) }
    if let sensitivity = inputs.sensitivity { sections.append(SensitivitySection.make(sensitivity)) }
    if !inputs.schedules.isEmpty { sections.append(ScheduleSection.make(inputs.schedules)) }
    if !inputs.designPoints.isEmpty { sections.append(CodesignSection.make(inputs.designPoints, sources: inputs.designSources)) }
    return sections
  }

  /// The complete HTML page.
  /// - Parameter inputs: what to show.
  /// - Returns: the page (UTF-8 text); the same inputs always give the same bytes.
  public static func render(_ inputs: ReportInputs) -> String {
    let sections = sections(inputs)
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(inputs.title.xmlEscaped)</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <h1>\(inputs.title.xmlEscaped)</h1>

      """
    if sections.isEmpty {
      out += "<p>No inputs were given.</p>\n"
    } else {
      out += "<nav>" + sections.map { "<a href=\"#\($0.id.xmlEscaped)\">\($0.title.xmlEscaped)</a>" }.joined(separator: " · ") + "</nav>\n"
    }
    for section in sections { out += section.html }
    out += "<footer>Made by <code>tessera report</code> from the JSON outputs named in each section. Hover a point or bar for its values.</footer>\n"
    return out + "</body>\n</html>\n"
  }

  static let style = """
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 24px auto; max-width: 960px; padding: 0 16px; line-height: 1.4; }
    h1 { font-size: 24px; margin-bottom: 4px; }
    h2 { font-size: 19px; border-bottom: 2px solid #0072B2; padding-bottom: 3px; margin-top: 36px; }
    nav { font-size: 14px; margin-bottom: 8px; }
    nav a { color: #0072B2; text-decoration: none; }
    p { font-size: 14px; margin: 4px 0; }
    table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
    caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
    th, td { border: 1px solid #ccc; padding: 3px 8px; }
    th { background: #f2f2f2; text-align: left; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    figure { margin: 14px 0; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
    code { font-size: 13px; }
    footer { margin-top: 40px; font-size: 12px; color: #555; }
    """
}
