/// The seven loops of a convolution (Timeloop's names): batch `n`, output channels `k`,
/// input channels `c`, output rows `p`, output columns `q`, filter rows `r`, filter columns `s`.
///
/// A GEMM `C[M][N] = A[M][K] · B[K][N]` is the convolution with `n = M`, `k = N`, `c = K`
/// and `p = q = r = s = 1`, so one cost model serves both.
public enum ProblemDim: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
  case n, k, c, p, q, r, s

  /// The number of dimensions (7).
  public static let count = 7

  /// The one-letter name, e.g. `"k"`.
  public var description: String { ["n", "k", "c", "p", "q", "r", "s"][rawValue] }

  /// The dimension's group: the set of dimensions one tensor does *not* depend on.
  ///
  /// The groups partition the seven loops: `{n, p, q}` are irrelevant to the weights,
  /// `{k}` to the input and `{c, r, s}` to the output. Within one group every tensor sees
  /// the loops identically, so only the order of the three groups changes access counts.
  public var group: LoopGroup {
    switch self {
    case .n, .p, .q: .pixels
    case .k: .filters
    case .c, .r, .s: .reduction
    }
  }
}

/// One of the three loop groups (see ``ProblemDim/group``); a loop order is a permutation of them.
public enum LoopGroup: Int, CaseIterable, Sendable, Codable {
  /// `{n, p, q}`: output pixels (GEMM `m`); irrelevant to the weights.
  case pixels
  /// `{k}`: output channels (GEMM `n`); irrelevant to the input.
  case filters
  /// `{c, r, s}`: the reduction (GEMM `k`); irrelevant to the output.
  case reduction

  /// The dimensions in this group.
  public var dims: [ProblemDim] {
    switch self {
    case .pixels: [.n, .p, .q]
    case .filters: [.k]
    case .reduction: [.c, .r, .s]
    }
  }

  /// The GEMM letter of the group: `m`, `n` or `k`.
  public var gemmLetter: String {
    switch self {
    case .pixels: "m"
    case .filters: "n"
    case .reduction: "k"
    }
  }

  /// The tensor that does not depend on this group (it stays put while these loops run).
  public var stationaryTensor: TensorKind {
    switch self {
    case .pixels: .weight
    case .filters: .input
    case .reduction: .output
    }
  }
}

/// The three tensors of a layer.
public enum TensorKind: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
  /// Input activations `I[n][c][h][w]` (GEMM `A`, SCALE-Sim "ifmap").
  case input
  /// Weights `W[k][c][r][s]` (GEMM `B`, SCALE-Sim "filter").
  case weight
  /// Outputs and partial sums `O[n][k][p][q]` (GEMM `C`, SCALE-Sim "ofmap").
  case output

  /// The name as written in YAML and reports.
  public var description: String { rawValue }

  /// Whether the tensor's index depends on `dim`.
  /// - Parameter dim: a loop dimension.
  /// - Returns: `true` unless `dim` is in the tensor's irrelevant group.
  public func depends(on dim: ProblemDim) -> Bool {
    dim.group.stationaryTensor != self
  }
}

/// A loop order: the three groups from outermost to innermost (6 possibilities).
public struct LoopOrder: Hashable, Sendable, CustomStringConvertible {
  /// Groups from outermost to innermost.
  public let groups: [LoopGroup]

  /// Makes an order.
  /// - Parameter groups: a permutation of the three groups, outermost first.
  public init(_ groups: [LoopGroup]) {
    precondition(Set(groups).count == 3 && groups.count == 3, "a loop order permutes the three groups")
    self.groups = groups
  }

  /// All six orders.
  public static let all: [LoopOrder] = {
    let g = LoopGroup.allCases
    var result = [LoopOrder]()
    for a in g { for b in g where b != a { for c in g where c != a && c != b { result.append(LoopOrder([a, b, c])) } } }
    return result
  }()

  /// The order that keeps `tensor` stationary: its irrelevant group innermost, the rest in canonical order.
  /// - Parameter tensor: the tensor to keep in place.
  public static func stationary(_ tensor: TensorKind) -> LoopOrder {
    let inner = LoopGroup.allCases.first { $0.stationaryTensor == tensor }!
    return LoopOrder(LoopGroup.allCases.filter { $0 != inner } + [inner])
  }

  /// GEMM letters outermost first, e.g. `"nkm"`.
  public var description: String { groups.map(\.gemmLetter).joined() }

  /// Dimensions outermost first.
  public var dims: [ProblemDim] { groups.flatMap(\.dims) }
}
