import Foundation

/// Hand-written SVG of training curves: loss (left panel) and accuracy (right panel) per epoch,
/// train and test, with axes, ticks and a legend. No dependencies; opens in any browser.
///
/// For example:
/// ```swift
/// let svg = TrainingCurves.svg(history, title: "mlp, seed 42")
/// try AtomicFile.write(svg, to: "curves.svg")
/// ```
public enum TrainingCurves {
  /// The SVG document for `history`.
  /// - Parameters:
  ///   - history: metrics of every epoch (in order).
  ///   - title: heading shown above the panels.
  /// - Returns: a complete SVG document.
  public static func svg(_ history: [EpochMetrics], title: String) -> String {
    let width = 900.0, height = 380.0
    var body = ""
    body += "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(escape(title))</text>\n"
    let epochs = history.map { Double($0.epoch) }
    let losses = history.flatMap { [$0.trainLoss, $0.testLoss] }.filter(\.isFinite)
    let lossMax = niceCeiling(losses.max() ?? 1)
    body += panel(
      x: 60, y: 50, width: 360, height: 260, title: "loss", epochs: epochs, yRange: (0, lossMax), percent: false,
      legendAtTop: true,
      series: [("train", "#1f77b4", history.map(\.trainLoss)), ("test", "#d62728", history.map(\.testLoss))])
    let accuracies = history.flatMap { [$0.trainAccuracy, $0.testAccuracy] }
    let low = max(0, floor((accuracies.min() ?? 0) * 10) / 10)
    body += panel(
      x: 510, y: 50, width: 360, height: 260, title: "accuracy", epochs: epochs, yRange: (low, 1), percent: true,
      legendAtTop: false,
      series: [("train", "#1f77b4", history.map(\.trainAccuracy)), ("test", "#d62728", history.map(\.testAccuracy))])
    if let last = history.last {
      let note = String(format: "final test accuracy %.2f%%, test loss %.4f after %d epochs", last.testAccuracy * 100, last.testLoss, last.epoch)
      body += "<text x=\"\(width / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\" font-size=\"13\">\(note)</text>\n"
    }
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      \(body)</svg>

      """
  }

  static func panel(
    x: Double, y: Double, width: Double, height: Double, title: String, epochs: [Double],
    yRange: (Double, Double), percent: Bool, legendAtTop: Bool, series: [(String, String, [Double])]
  ) -> String {
    let first = epochs.first ?? 1, last = max(epochs.last ?? 1, first + 1)
    func px(_ e: Double) -> Double { x + (e - first) / (last - first) * width }
    func py(_ v: Double) -> Double {
      let t = (min(max(v, yRange.0), yRange.1) - yRange.0) / max(yRange.1 - yRange.0, 1e-12)
      return y + height - t * height
    }
    var s = "<g>\n<text x=\"\(x + width / 2)\" y=\"\(y - 8)\" text-anchor=\"middle\" font-size=\"14\">\(title)</text>\n"
    s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#444\"/>\n"
    for i in 0...5 {
      let v = yRange.0 + (yRange.1 - yRange.0) * Double(i) / 5
      let label = percent ? String(format: "%.0f%%", v * 100) : String(format: "%.2f", v)
      s += "<line x1=\"\(x)\" y1=\"\(fmt(py(v)))\" x2=\"\(x + width)\" y2=\"\(fmt(py(v)))\" stroke=\"#ddd\"/>\n"
      s += "<text x=\"\(x - 6)\" y=\"\(fmt(py(v) + 4))\" text-anchor=\"end\" font-size=\"11\">\(label)</text>\n"
    }
    let step = max(1, Int((last - first) / 6))
    for e in stride(from: Int(first), through: Int(last), by: step) {
      s += "<text x=\"\(fmt(px(Double(e))))\" y=\"\(y + height + 16)\" text-anchor=\"middle\" font-size=\"11\">\(e)</text>\n"
    }
    s += "<text x=\"\(x + width / 2)\" y=\"\(y + height + 34)\" text-anchor=\"middle\" font-size=\"12\">epoch</text>\n"
    for (index, (name, color, values)) in series.enumerated() {
      let points = zip(epochs, values).filter { $0.1.isFinite }.map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }
      s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
      let ly = (legendAtTop ? y + 16 : y + height - 30) + Double(index) * 18
      s += "<line x1=\"\(x + width - 90)\" y1=\"\(ly - 4)\" x2=\"\(x + width - 70)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
      s += "<text x=\"\(x + width - 64)\" y=\"\(ly)\" font-size=\"12\">\(name)</text>\n"
    }
    return s + "</g>\n"
  }

  static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

  static func niceCeiling(_ v: Double) -> Double {
    guard v > 0, v.isFinite else { return 1 }
    let magnitude = pow(10, floor(log10(v)))
    for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= v { return m * magnitude }
    return 10 * magnitude
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
