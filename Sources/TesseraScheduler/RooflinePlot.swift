import Foundation
import TesseraReport

/// A log–log roofline plot (SVG) of scheduled layers: one roof per hardware, one point per
/// layer at its operational intensity and achieved throughput. Drawn by TesseraReport's
/// `RooflineChart` (the same chart `tessera report` uses).
public enum RooflinePlot {
  /// Renders the plot.
  /// - Parameter reports: one report per hardware.
  /// - Returns: a complete SVG document (with an XML declaration, ready to write as a file).
  public static func svg(_ reports: [ScheduleReport]) -> String {
    SVGFile.standalone(chart(reports).svg())
  }

  /// The chart for `reports`: each roof's slope is the highest effective DRAM bandwidth of any of
  /// its layers (each layer's own depends on its read/write mix), so every point lies on or under
  /// the drawn roof; the flat part is the array's peak.
  /// - Parameter reports: one report per hardware.
  /// - Returns: the chart.
  public static func chart(_ reports: [ScheduleReport]) -> RooflineChart {
    var roofs: [RooflineChart.Roof] = [], points: [RooflineChart.Point] = []
    for report in reports {
      guard let first = report.costs.first else { continue }
      let clock = report.spec.clockHz / 1e9
      let bandwidth = (report.costs.map(\.roofline.dramBytesPerCycle).max() ?? 0) * clock
      let index = roofs.count
      roofs.append(.init(name: report.hardware, peakGOPS: first.roofline.peakOpsPerCycle * clock, bandwidthGBPS: bandwidth > 0 ? bandwidth : nil))
      for cost in report.costs {
        points.append(.init(
          roof: index, label: cost.workload.name, intensity: cost.roofline.operationalIntensity,
          gops: cost.roofline.achievedOpsPerCycle * clock))
      }
    }
    return RooflineChart(
      title: "Roofline (DRAM bandwidth × operational intensity, capped at peak)", roofs: roofs, points: points,
      xTitle: "operational intensity (op per DRAM byte)", yTitle: "throughput (GOP/s)")
  }
}
