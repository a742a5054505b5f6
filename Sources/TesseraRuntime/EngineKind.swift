/// Which engine runs a model (``Engine/engineKind``).
///
/// For example:
/// ```swift
/// let engine = try Engine(graph: residualGraph)
/// engine.engineKind            // .compiledGraph
/// engine.engineKind.rawValue   // "compiled-graph"
/// ```
public enum EngineKind: String, Sendable, Equatable, CaseIterable {
  /// The compiled chain plan: a float (BLAS) or int8 chain of dense/conv/pool layers.
  case compiledChain = "compiled-chain"
  /// A float or QDQ graph (any DAG) compiled by ``GraphPlan``.
  case compiledGraph = "compiled-graph"
  /// A graph compiled by ``DynamicGraphPlan``: several inputs of any element type (token ids and
  /// an attention mask), symbolic dimensions besides the batch.
  case dynamicGraph = "dynamic-graph"
  /// The reference interpreter (graphs neither ``GraphPlan`` nor ``DynamicGraphPlan`` compiles, or all non-chain graphs when
  /// ``EngineConfiguration/interpretGraphs`` is set).
  case interpreter
}
