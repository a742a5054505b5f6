import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses chart output as XML and collects elements, so tests check structure instead of text.
final class SVGInspection: NSObject, XMLParserDelegate {
  struct Element {
    var name: String
    var attributes: [String: String]
  }

  private(set) var elements: [Element] = []
  private(set) var texts: [String] = []
  private(set) var error: String?
  private var text = ""

  /// Parses `svg`; `error` is set when it is not well-formed XML.
  init(_ svg: String) {
    super.init()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = self
    if !parser.parse() { error = parser.parserError.map { "\($0)" } ?? "parse failed" }
  }

  var wellFormed: Bool { error == nil }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements.append(Element(name: elementName, attributes: attributes))
    text = ""
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    if !text.isEmpty { texts.append(text) }
    text = ""
  }

  /// Elements named `name` with `class` `className` (any class when nil).
  func count(_ name: String, className: String? = nil) -> Int {
    elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }.count
  }

  /// The `points` of the first polyline with class `className`, as pairs.
  func polyline(className: String) -> [(Double, Double)] {
    guard let points = elements.first(where: { $0.name == "polyline" && $0.attributes["class"] == className })?.attributes["points"] else {
      return []
    }
    return points.split(separator: " ").map { pair in
      let xy = pair.split(separator: ",").map { Double($0) ?? .nan }
      return (xy[0], xy[1])
    }
  }
}
