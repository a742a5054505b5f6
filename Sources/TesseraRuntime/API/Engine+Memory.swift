extension Engine {
  /// Bytes of activation memory the engine keeps between calls for reuse.
  ///
  /// What is pooled: the chain plan's and ``GraphPlan``'s per-call arena (one block holding
  /// every intermediate activation, sized by ``arenaBytes(count:)``), and
  /// ``DynamicGraphPlan``'s float intermediate buffers (a buffer goes back to its call's pool
  /// after its last reader, the pool to the engine after the call). A call takes a free arena
  /// or pool and gives it back, so repeated calls of the same size allocate nothing after the
  /// first and this number stops growing. It is bounded by the number of calls that ever ran at
  /// once times what the largest call needed. Inputs, outputs, the interpreter's values and
  /// int8 im2col scratch of fallback kernels are allocated per call and not counted.
  public var pooledBytes: Int {
    arenas.heldBytes + (graphPlan?.arenas.heldBytes ?? 0) + (dynamic?.plan.pools.heldBytes ?? 0)
  }

  /// Frees the pooled activation memory not in use now (calls running now keep theirs and give
  /// it back when they return); the next call allocates afresh.
  public func releasePooledMemory() {
    arenas.release()
    graphPlan?.arenas.release()
    dynamic?.plan.pools.release()
  }
}
