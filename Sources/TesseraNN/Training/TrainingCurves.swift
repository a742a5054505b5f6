import Foundation
import TesseraReport

/// SVG of training curves: loss (left panel) and accuracy (right panel) per epoch, train and
/// test, with axes, ticks and a legend. Drawn by TesseraReport's `LineChart` (the same chart
/// `tessera report` uses); opens in any browser.
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
  /// - Returns: a complete SVG document (with an XML declaration, ready to write as a file).
  public static func svg(_ history: [EpochMetrics], title: String) -> String {
    func series(_ name: String, _ value: (EpochMetrics) -> Double, dash: String? = nil) -> LineSeries {
      LineSeries(name: name, points: history.map { ScatterPoint(x: Double($0.epoch), y: value($0)) }, dash: dash)
    }
    let loss = LinePanel(
      title: "loss", x: ChartAxis("epoch", integer: true), y: ChartAxis("cross-entropy loss", includeZero: true),
      series: [series("train", \.trainLoss), series("test", \.testLoss, dash: "6 3")])
    let accuracy = LinePanel(
      title: "accuracy", x: ChartAxis("epoch", integer: true), y: ChartAxis("top-1 (%)", percent: true),
      series: [series("train", \.trainAccuracy), series("test", \.testAccuracy, dash: "6 3")])
    let caption = history.last.map {
      String(format: "final test accuracy %.2f%%, test loss %.4f after %d epochs", $0.testAccuracy * 100, $0.testLoss, $0.epoch)
    } ?? ""
    return SVGFile.standalone(LineChart(title: title, panels: [loss, accuracy], caption: caption).svg())
  }
}
