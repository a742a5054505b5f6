import Foundation
import Tessera

/// Random geometric augmentation of single-channel or multi-channel images: a rotation about
/// the centre, a scale and a translation, drawn per sample from a seeded generator and applied
/// with bilinear sampling (zeros outside the image).
///
/// For example:
/// ```swift
/// let augment = Augmentation(maxShift: 2, maxRotationDegrees: 10)
/// var rng = SplitMix64(seed: 1)
/// augment.apply(to: &batchPixels, count: 64, shape: [1, 28, 28], using: &rng)
/// ```
public struct Augmentation: Sendable, Equatable {
  /// Largest translation in pixels on each axis (uniform in `−maxShift...maxShift`).
  public var maxShift: Float
  /// Largest rotation in degrees (uniform in `−max...max`).
  public var maxRotationDegrees: Float
  /// Largest relative scale change (uniform in `1 − maxScale ... 1 + maxScale`).
  public var maxScale: Float

  /// Makes an augmentation.
  /// - Parameters:
  ///   - maxShift: translation range in pixels.
  ///   - maxRotationDegrees: rotation range in degrees.
  ///   - maxScale: relative scale range.
  public init(maxShift: Float = 2, maxRotationDegrees: Float = 10, maxScale: Float = 0) {
    self.maxShift = maxShift
    self.maxRotationDegrees = maxRotationDegrees
    self.maxScale = maxScale
  }

  /// The default used by `tessera train --augment`: ±2 px shifts, ±10° rotations, ±8 % scale.
  public static let standard = Augmentation(maxShift: 2, maxRotationDegrees: 10, maxScale: 0.08)

  /// Transforms `count` samples of `shape` (`[C, H, W]`) stored back to back in `pixels`.
  /// - Parameters:
  ///   - pixels: the samples, modified in place.
  ///   - count: number of samples.
  ///   - shape: per-sample shape `[C, H, W]`.
  ///   - generator: the seeded source of the random draws (4 draws per sample).
  public func apply(to pixels: inout [Float], count: Int, shape: [Int], using generator: inout SplitMix64) {
    guard shape.count == 3 else { return }
    let channels = shape[0], height = shape[1], width = shape[2], plane = height * width
    var source = [Float](repeating: 0, count: plane)
    for n in 0..<count {
      let angle = (generator.nextFloat() * 2 - 1) * maxRotationDegrees * .pi / 180
      let scale = 1 + (generator.nextFloat() * 2 - 1) * maxScale
      let dx = (generator.nextFloat() * 2 - 1) * maxShift
      let dy = (generator.nextFloat() * 2 - 1) * maxShift
      // Inverse map: output (x, y) reads input R(−angle)·((x, y) − centre − d) / scale + centre.
      let c = cosf(angle) / scale, s = sinf(angle) / scale
      let cx = Float(width - 1) / 2, cy = Float(height - 1) / 2
      for ch in 0..<channels {
        let base = (n * channels + ch) * plane
        source.withUnsafeMutableBufferPointer { src in
          pixels.withUnsafeMutableBufferPointer { dst in
            (src.baseAddress!).update(from: dst.baseAddress! + base, count: plane)
            for y in 0..<height {
              let ry = Float(y) - cy - dy
              for x in 0..<width {
                let rx = Float(x) - cx - dx
                let sx = c * rx + s * ry + cx, sy = -s * rx + c * ry + cy
                dst[base + y * width + x] = Self.bilinear(src, width, height, sx, sy)
              }
            }
          }
        }
      }
    }
  }

  @inline(__always)
  static func bilinear(_ image: UnsafeMutableBufferPointer<Float>, _ width: Int, _ height: Int, _ x: Float, _ y: Float) -> Float {
    let x0f = x.rounded(.down), y0f = y.rounded(.down)
    guard x0f > -2 && y0f > -2 && x0f < Float(width) && y0f < Float(height) else { return 0 }
    let x0 = Int(x0f), y0 = Int(y0f)
    let fx = x - x0f, fy = y - y0f
    @inline(__always) func at(_ yy: Int, _ xx: Int) -> Float {
      yy >= 0 && yy < height && xx >= 0 && xx < width ? image[yy * width + xx] : 0
    }
    let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return top * (1 - fy) + bottom * fy
  }
}
