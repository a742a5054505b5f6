import Foundation
import Testing
@testable import TesseraScheduler

@Suite("Roofline plot")
struct RooflinePlotTests {
  @Test("one roof per hardware, one point per layer, every point on or under its roof")
  func pointsUnderRoofs() throws {
    let layers = [try Workload.parseConv("1,2,8,8,4,3,3"), try Workload.parseGEMM("1,120,400")]
    var reports: [ScheduleReport] = []
    for name in ["edge-npu", "tpu-v1"] {
      let spec = try HardwareSpec.preset(named: name)
      reports.append(ScheduleReport(spec: spec, costs: try layers.map { try Mapper.search($0, on: spec, options: MapperOptions()).best }))
    }
    let chart = RooflinePlot.chart(reports)
    #expect(chart.roofs.map(\.name) == ["edge-npu", "tpu-v1"])
    #expect(chart.points.count == 4 && chart.drawnPoints == 4)
    for point in chart.points {
      let roof = chart.roofs[point.roof]
      let attainable = min(roof.peakGOPS, point.intensity * (roof.bandwidthGBPS ?? .infinity))
      #expect(point.gops <= attainable * (1 + 1e-9), "\(point.label) on \(roof.name)")
    }
    let svg = RooflinePlot.svg(reports)
    #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
    #expect(svg.components(separatedBy: "class=\"roof\"").count - 1 == 2)
  }
}
