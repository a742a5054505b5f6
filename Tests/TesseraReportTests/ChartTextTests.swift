import Foundation
import Testing
@testable import TesseraReport

@Suite("Report charts: text, ticks, determinism")
struct ChartTextTests {
  @Test("hostile labels are escaped everywhere: titles, axes, legends, categories, tooltips")
  func escaping() {
    let evil = "<script>alert(\"x\")</script> & 'q'"
    let documents = [
      ScatterChart(
        title: evil, x: ChartAxis(evil), y: ChartAxis(evil), series: [.init(name: evil, points: [.init(x: 1, y: 1, label: evil)])],
        frontier: [.init(x: 1, y: 1)], frontierName: evil
      ).svg(),
      GroupedBarChart(title: evil, categories: [evil], categoryTitle: evil, y: ChartAxis(evil), series: [.init(name: evil, values: [1])]).svg(),
      StackedBarChart(title: evil, categories: [evil], y: ChartAxis(evil), components: [.init(name: evil, values: [1])]).svg(),
      LineChart(title: evil, panels: [.init(title: evil, x: ChartAxis(evil), y: ChartAxis(evil), series: [.init(name: evil, points: [.init(x: 1, y: 1)])])]).svg(),
      RooflineChart(title: evil, roofs: [.init(name: evil, peakGOPS: 10, bandwidthGBPS: 1)], points: [.init(roof: 0, label: evil, intensity: 1, gops: 1)]).svg(),
    ]
    for document in documents {
      #expect(!document.contains("<script"))
      #expect(document.contains("&lt;script&gt;"))
      let svg = SVGInspection(document)
      #expect(svg.wellFormed)
      #expect(svg.count("script") == 0)
    }
  }

  @Test("the same input gives the same bytes, with fixed two-decimal coordinates")
  func determinism() {
    func make() -> String {
      ScatterChart(
        title: "d", x: ChartAxis("x", scale: .log), y: ChartAxis("y", percent: true),
        series: [.init(name: "s", points: [.init(x: 0.123456789, y: 0.5), .init(x: 1234.5678, y: 0.75)])],
        frontier: [.init(x: 0.123456789, y: 0.5), .init(x: 1234.5678, y: 0.75)]
      ).svg()
    }
    let a = make(), b = make()
    #expect(a == b)
    let svg = SVGInspection(a)
    let coordinates = svg.elements.flatMap { element in ["x", "y", "cx", "cy", "x1", "y1", "x2", "y2"].compactMap { element.attributes[$0] } }
    #expect(!coordinates.isEmpty)
    for value in coordinates { #expect(value.split(separator: ".").last?.count == 2, "\(value)") }
  }

  @Test("linear ticks step by 1, 2 or 5 × 10ⁿ and cover the data")
  func niceTicks() {
    let a = AxisTicks.linear(lower: 0, upper: 0.97, count: 5)
    #expect(a.values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    let b = AxisTicks.linear(lower: 3, upper: 47, count: 5)
    #expect(b.values == [0, 10, 20, 30, 40, 50])
    let c = AxisTicks.linear(lower: -1.3, upper: 2.2, count: 8)
    #expect(c.values.first! <= -1.3 && c.values.last! >= 2.2)
    let steps = Set(zip(c.values, c.values.dropFirst()).map { (($1 - $0) * 1e6).rounded() / 1e6 })
    #expect(steps == [0.5])
    let single = AxisTicks.linear(lower: 5, upper: 5)
    #expect(single.lower < 5 && single.upper > 5)
    #expect(a.label(0.6, percent: true) == "60%")
  }

  @Test("log ticks are decades (every second one over long ranges)")
  func decadeTicks() {
    let a = AxisTicks.decades(lower: 0.03, upper: 450)
    #expect(a.values == [0.01, 0.1, 1, 10, 100, 1000])
    #expect(a.values.map { a.label($0) } == ["0.01", "0.1", "1", "10", "100", "1000"])
    let b = AxisTicks.decades(lower: 1e-6, upper: 1e6)
    #expect(b.values.count == 7 && b.values.first == 1e-6 && b.label(1e6) == "1e6")
    let c = AxisTicks.decades(lower: -3, upper: 0)
    #expect(c.values == [1, 10])
  }

  @Test("numbers print the same everywhere")
  func numbers() {
    #expect(ChartNumber.label(0.000123) == "1.23e-4")
    #expect(ChartNumber.label(2500) == "2500")
    #expect(ChartNumber.label(3.14159) == "3.14")
    #expect(ChartNumber.label(12_345_678) == "1.23e7")
    #expect(ChartNumber.label(.nan) == "NaN")
    #expect(ChartNumber.percent(0.985) == "98.50 %")
    #expect(ChartNumber.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(ChartNumber.coordinate(-0.001) == "0.00")
  }

  @Test("Pareto frontier: cheapest first, dominated and non-finite points left out")
  func pareto() {
    #expect(ParetoFrontier.indices(cost: [3, 1, 2, 4], accuracy: [0.9, 0.8, 0.7, 0.95]) == [1, 0, 3])
    #expect(ParetoFrontier.indices(cost: [1, 1, .nan], accuracy: [0.5, 0.6, 1]) == [1])
    #expect(ParetoFrontier.indices(cost: [2, 2], accuracy: [0.5, 0.5]) == [0])
    #expect(ParetoFrontier.indices(cost: [], accuracy: []) == [])
  }
}

@Suite("Report charts: integer axes")
struct IntegerAxisTests {
  @Test("integer axes (epochs) never get fractional ticks")
  func integerTicks() {
    let ticks = AxisTicks.linear(lower: 1, upper: 3, count: 6, integer: true)
    #expect(ticks.values == [1, 2, 3])
    let one = AxisTicks.linear(lower: 1, upper: 1, count: 6, integer: true)
    #expect(one.values.allSatisfy { $0 == $0.rounded() })
  }
}

@Suite("Report charts: single-decade log axes")
struct SingleDecadeTests {
  @Test("a log axis over one value that is a power of ten spans the decades either side")
  func centred() {
    #expect(AxisTicks.decades(lower: 10, upper: 10).values == [1, 10, 100])
    #expect(AxisTicks.decades(lower: 5, upper: 5).values == [1, 10])
  }
}
