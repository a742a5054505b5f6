/// Colours that stay distinguishable for the common forms of colour blindness: the Okabe–Ito
/// palette (Okabe & Ito 2008, "Color Universal Design"), without its yellow, which is too light
/// on white. Series colours cycle through ``ChartPalette/colors``; markers add a second cue.
public enum ChartPalette {
  /// Blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
  public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

  /// The colour of series `index` (cycling).
  /// - Parameter index: 0-based series index.
  /// - Returns: a `#RRGGBB` colour.
  public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }

  /// Grid lines.
  public static let grid = "#e3e3e3"
  /// Axes and text.
  public static let ink = "#222222"
  /// Secondary text (notes, tick labels).
  public static let muted = "#555555"
}
