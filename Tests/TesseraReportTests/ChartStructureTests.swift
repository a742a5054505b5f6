import Foundation
import Testing
@testable import TesseraReport

@Suite("Report charts: structure")
struct ChartStructureTests {
  static let points = [
    ScatterPoint(x: 1, y: 0.90, label: "a"), ScatterPoint(x: 3, y: 0.95, label: "b"),
    ScatterPoint(x: 2, y: 0.80, label: "c"), ScatterPoint(x: 10, y: 0.97, label: "d"),
  ]

  @Test("scatter: well-formed XML, one marker with a tooltip per point, a legend row per series")
  func scatterCounts() {
    let chart = ScatterChart(
      title: "t", x: ChartAxis("energy (µJ)", scale: .log), y: ChartAxis("top-1", percent: true),
      series: [ScatterSeries(name: "s1", points: Array(Self.points[0..<2])), ScatterSeries(name: "s2", points: Array(Self.points[2...]))])
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed, "\(svg.error ?? "")")
    let markers = svg.elements.filter { ["circle", "rect", "polygon"].contains($0.name) && $0.attributes["stroke"] == "white" }
    #expect(markers.count == 4)
    #expect(svg.texts.contains("a") && svg.texts.contains("d"))  // tooltips
    #expect(svg.texts.contains("s1") && svg.texts.contains("s2"))  // legend
    #expect(svg.count("polyline", className: "frontier") == 0)
  }

  @Test("the frontier step line passes through every frontier point and only steps right then up")
  func frontierStepLine() throws {
    let frontier = ParetoFrontier.indices(cost: Self.points.map(\.x), accuracy: Self.points.map(\.y)).map { Self.points[$0] }
    #expect(frontier.map(\.label) == ["a", "b", "d"])
    for scale in [AxisScale.linear, .log] {
      let chart = ScatterChart(
        title: "t", x: ChartAxis("x", scale: scale), y: ChartAxis("y"), series: [ScatterSeries(name: "s", points: Self.points)],
        frontier: frontier)
      let layout = chart.layout()
      let line = SVGInspection(chart.svg()).polyline(className: "frontier")
      #expect(line.count == 2 * frontier.count - 1)
      for p in frontier {
        let x = (layout.frame.x(p.x, on: layout.xTicks) * 100).rounded() / 100, y = (layout.frame.y(p.y, on: layout.yTicks) * 100).rounded() / 100
        #expect(line.contains { abs($0.0 - x) < 0.006 && abs($0.1 - y) < 0.006 }, "\(p) at \(x),\(y) not on \(line)")
      }
      for (a, b) in zip(line, line.dropFirst()) {
        // Horizontal to the right, or vertical upwards (higher accuracy = smaller pixel y).
        #expect((a.1 == b.1 && b.0 >= a.0) || (a.0 == b.0 && b.1 <= a.1))
      }
    }
  }

  @Test("log axes skip values ≤ 0 and NaN without crashing and count them in a note")
  func logAxisRejectsNonPositive() {
    let chart = ScatterChart(
      title: "t", x: ChartAxis("x", scale: .log), y: ChartAxis("y"),
      series: [ScatterSeries(name: "s", points: [.init(x: 0, y: 1), .init(x: -5, y: 2), .init(x: 10, y: .nan), .init(x: 100, y: 3)])],
      frontier: [.init(x: 0, y: 1), .init(x: 100, y: 3)])
    #expect(chart.layout().drawn == 1)
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed)
    #expect(svg.texts.contains { $0.hasPrefix("3 points not drawn") })
    #expect(svg.polyline(className: "frontier").count == 1)
    let roof = RooflineChart(
      title: "r", roofs: [.init(name: "h", peakGOPS: 0, bandwidthGBPS: -1)],
      points: [.init(roof: 0, label: "l", intensity: .infinity, gops: 5), .init(roof: 0, label: "m", intensity: 0, gops: 5)])
    let roofSVG = SVGInspection(roof.svg())
    #expect(roofSVG.wellFormed && roof.drawnPoints == 0)
    #expect(roofSVG.texts.contains { $0.hasPrefix("2 points not drawn") })
  }

  @Test("empty, single-point and all-NaN inputs render well-formed documents")
  func degenerateInputs() {
    let documents = [
      ScatterChart(title: "empty", x: ChartAxis("x"), y: ChartAxis("y"), series: []).svg(),
      ScatterChart(title: "one", x: ChartAxis("x", scale: .log), y: ChartAxis("y"), series: [.init(name: "s", points: [.init(x: 5, y: 5)])]).svg(),
      GroupedBarChart(title: "all missing", categories: ["a"], y: ChartAxis("y"), series: [.init(name: "s", values: [.nan])]).svg(),
      GroupedBarChart(title: "none", categories: [], y: ChartAxis("y"), series: []).svg(),
      StackedBarChart(title: "neg", categories: ["a", "b"], y: ChartAxis("y"), components: [.init(name: "c", values: [-1, .infinity])]).svg(),
      LineChart(title: "line", panels: [LinePanel(title: "p", x: ChartAxis("x"), y: ChartAxis("y"), series: [.init(name: "s", points: [.init(x: 1, y: 2)])])]).svg(),
      LineChart(title: "no panels", panels: []).svg(),
      RooflineChart(title: "roof", roofs: [], points: []).svg(),
    ]
    for document in documents {
      let svg = SVGInspection(document)
      #expect(svg.wellFormed, "\(svg.error ?? "")\n\(document)")
      // No NaN or infinity leaks into an attribute (coordinates, sizes).
      #expect(document.range(of: "=\"[^\"]*(nan|inf)", options: [.regularExpression, .caseInsensitive]) == nil, "\(document)")
    }
  }

  @Test("grouped bars: one bar per finite value, negatives grow down from zero")
  func groupedBars() {
    let chart = GroupedBarChart(
      title: "g", categories: ["conv1", "conv2", "fc"], y: ChartAxis("drop (points)"),
      series: [.init(name: "4-bit", values: [1.5, -0.2, .nan]), .init(name: "2:4", values: [0.5, 3, 0.1])])
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed)
    #expect(svg.count("rect", className: "bar") == 5 && chart.drawnBars == 5)
    #expect(svg.texts.contains { $0.hasPrefix("1 bar not drawn") })
    let heights = svg.elements.filter { $0.attributes["class"] == "bar" }.compactMap { Double($0.attributes["height"] ?? "") }
    #expect(heights.allSatisfy { $0 > 0 })
  }

  @Test("stacked bars: one segment per positive component value, stacks touch")
  func stackedBars() throws {
    let chart = StackedBarChart(
      title: "s", categories: ["conv1", "fc1"], y: ChartAxis("energy (nJ)"),
      components: [.init(name: "DRAM", values: [4, 8]), .init(name: "GLB", values: [1, 0]), .init(name: "MAC", values: [2, 2])])
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed)
    let segments = svg.elements.filter { $0.attributes["class"] == "segment" }
    #expect(segments.count == 5 && chart.drawnSegments == 5)
    // First bar: DRAM's top edge is GLB's bottom edge.
    let dram = try #require(segments.first), glb = segments[1]
    let dramTop = try #require(Double(dram.attributes["y"]!)), glbBottom = try #require(Double(glb.attributes["y"]!)) + Double(glb.attributes["height"]!)!
    #expect(abs(dramTop - glbBottom) < 0.011)
  }

  @Test("line chart: NaN breaks a line into two runs; series share colours across panels")
  func lineBreaks() {
    let panel = LinePanel(
      title: "p", x: ChartAxis("epoch"), y: ChartAxis("loss"),
      series: [.init(name: "train", points: [.init(x: 1, y: 1), .init(x: 2, y: .nan), .init(x: 3, y: 0.5), .init(x: 4, y: 0.4)])])
    let chart = LineChart(title: "l", panels: [panel, panel])
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed)
    #expect(svg.count("polyline", className: "line") == 4)
    #expect(chart.drawnPoints == 6)
    #expect(svg.texts.contains { $0.hasPrefix("2 points not drawn") })
  }

  @Test("roofline: one roof per hardware, one marker per layer, ridge at peak ÷ bandwidth")
  func roofline() {
    let chart = RooflineChart(
      title: "r", roofs: [.init(name: "a", peakGOPS: 100, bandwidthGBPS: 10), .init(name: "b", peakGOPS: 50, bandwidthGBPS: nil)],
      points: [.init(roof: 0, label: "conv1", intensity: 20, gops: 80), .init(roof: 1, label: "fc", intensity: 2, gops: 5)])
    let svg = SVGInspection(chart.svg())
    #expect(svg.wellFormed)
    #expect(svg.count("polyline", className: "roof") == 2)
    let roof = svg.polyline(className: "roof")
    #expect(roof.count == 3)
    #expect(roof[1].1 == roof[2].1)  // flat after the ridge
    #expect(svg.texts.contains("conv1 on a: 20 op/B, 80 GOP/s"))
    #expect(svg.texts.contains { $0.contains("DRAM roof unknown for b") })
  }
}
