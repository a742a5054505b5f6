import Foundation

/// A log–log roofline plot (SVG) of scheduled layers: one roof per hardware, one point per
/// layer at its operational intensity and achieved throughput.
public enum RooflinePlot {
  /// Renders the plot.
  /// - Parameter reports: one report per hardware.
  /// - Returns: a complete SVG document.
  public static func svg(_ reports: [ScheduleReport]) -> String {
    let width = 720.0, height = 480.0, left = 80.0, right = 170.0, top = 30.0, bottom = 60.0
    let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    // GOP/s and op/B ranges over roofs and points.
    var xs: [Double] = [], ys: [Double] = []
    for report in reports {
      let clock = report.spec.clockHz / 1e9
      for cost in report.costs {
        let r = cost.roofline
        if r.operationalIntensity.isFinite, r.operationalIntensity > 0 { xs.append(r.operationalIntensity) }
        ys.append(max(r.achievedOpsPerCycle * clock, 1e-6))
        ys.append(r.peakOpsPerCycle * clock)
        xs.append(r.peakOpsPerCycle / r.dramBytesPerCycle)  // the ridge point
      }
    }
    let xMin = pow(10, floor(log10(max(1e-3, (xs.min() ?? 1) / 2)))), xMax = pow(10, ceil(log10((xs.max() ?? 10) * 2)))
    let yMin = pow(10, floor(log10(max(1e-6, (ys.min() ?? 1) / 2)))), yMax = pow(10, ceil(log10((ys.max() ?? 10) * 2)))
    func px(_ x: Double) -> Double { left + (log10(x) - log10(xMin)) / (log10(xMax) - log10(xMin)) * (width - left - right) }
    func py(_ y: Double) -> Double { height - bottom - (log10(y) - log10(yMin)) / (log10(yMax) - log10(yMin)) * (height - top - bottom) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    var svg = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(f(left))" y="18" font-size="13">Roofline (DRAM bandwidth × operational intensity, capped at peak)</text>

      """
    var decade = xMin
    while decade <= xMax * 1.0001 {
      svg += "<line x1=\"\(f(px(decade)))\" y1=\"\(f(top))\" x2=\"\(f(px(decade)))\" y2=\"\(f(height - bottom))\" stroke=\"#ddd\"/>"
      svg += "<text x=\"\(f(px(decade)))\" y=\"\(f(height - bottom + 15))\" text-anchor=\"middle\">\(label(decade))</text>\n"
      decade *= 10
    }
    decade = yMin
    while decade <= yMax * 1.0001 {
      svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(decade)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(decade)))\" stroke=\"#ddd\"/>"
      svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(decade) + 4))\" text-anchor=\"end\">\(label(decade))</text>\n"
      decade *= 10
    }
    svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 20))\" text-anchor=\"middle\">operational intensity (op per DRAM byte)</text>\n"
    svg += "<text transform=\"translate(20 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">GOP/s</text>\n"
    for (index, report) in reports.enumerated() {
      guard let first = report.costs.first else { continue }
      let color = colors[index % colors.count]
      let clock = report.spec.clockHz / 1e9
      // The roof's slope: the highest effective DRAM bandwidth of any layer (each layer's own
      // depends on its read/write mix), so every point lies on or under the drawn roof.
      let peak = first.roofline.peakOpsPerCycle * clock
      let bandwidth = (report.costs.map(\.roofline.dramBytesPerCycle).max() ?? 0) * clock
      let ridge = peak / bandwidth
      let x0 = xMin, y0 = max(yMin, bandwidth * xMin)
      svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(f(px(x0))),\(f(py(y0))) \(f(px(ridge))),\(f(py(peak))) \(f(px(xMax))),\(f(py(peak)))\"/>\n"
      let legendY = top + 18 * Double(index) + 10
      svg += "<rect x=\"\(f(width - right + 12))\" y=\"\(f(legendY - 8))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
      svg += "<text x=\"\(f(width - right + 28))\" y=\"\(f(legendY + 1))\">\(escape(report.hardware))</text>\n"
      for cost in report.costs {
        let r = cost.roofline
        guard r.operationalIntensity.isFinite, r.operationalIntensity > 0 else { continue }
        let x = px(r.operationalIntensity), y = py(max(r.achievedOpsPerCycle * clock, yMin))
        svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4\" fill=\"\(color)\" fill-opacity=\"0.7\"><title>\(escape(cost.workload.name)) on \(escape(report.hardware)): \(ReportNumberLite.format(r.operationalIntensity)) op/B, \(ReportNumberLite.format(r.achievedOpsPerCycle * clock)) GOP/s</title></circle>"
        svg += "<text x=\"\(f(x + 6))\" y=\"\(f(y - 5))\" fill=\"\(color)\" font-size=\"9\">\(escape(cost.workload.name))</text>\n"
      }
    }
    svg += "</svg>\n"
    return svg
  }

  private static func label(_ value: Double) -> String {
    let exponent = Int(log10(value).rounded())
    return exponent >= 0 && exponent <= 4 ? String(Int(value.rounded())) : "1e\(exponent)"
  }

  private static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
