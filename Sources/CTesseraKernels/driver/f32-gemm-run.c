/*
 * f32-gemm-run.c — the blocking driver around an f32-gemm micro-kernel: column
 * chunks whose packed weights fit in half of L2 (outer), MR-row tiles (inner),
 * as qd8-gemm-run.c. Each tile runs over all of K with its accumulators in
 * registers. A short last tile (1 … MR/3 rows) borrows MR/3 rows from the
 * tile before it (M = 16 on 12×32: 8 + 8 instead of 12 + 4): the SIMD kernels
 * run instances of MR/3, 2·MR/3 and MR rows, so the waste is the same and the
 * two tiles are the larger, more efficient instance. Reentrant, allocates nothing.
 */
#include <assert.h>

#include "tessera_kernels.h"

#define TSR_F32_GEMM_CHUNK_BYTES ((size_t)512 * 1024)

void tsr_f32_gemm_run(
    const tsr_f32_gemm_kernel* kernel,
    size_t m_begin, size_t m_end, size_t n_begin, size_t n_end, size_t kc,
    const float* a, size_t a_stride,
    const void* packed,
    float* c, size_t c_stride) {
  if (m_begin >= m_end || n_begin >= n_end) return;
  const size_t mr = kernel->mr;
  const size_t nr = kernel->nr;
  assert(n_begin % nr == 0);
  const size_t panel = tsr_f32_gemm_packed_panel_bytes(kernel, kc);
  size_t chunk = TSR_F32_GEMM_CHUNK_BYTES / panel * nr;
  if (chunk < nr) chunk = nr;
  for (size_t n0 = n_begin; n0 < n_end; n0 += chunk) {
    const size_t nc = n_end - n0 < chunk ? n_end - n0 : chunk;
    const void* w = (const uint8_t*)packed + (n0 / nr) * panel;
    for (size_t m0 = m_begin, rows; m0 < m_end; m0 += rows) {
      const size_t left = m_end - m0;
      rows = left < mr ? left : mr;
      if (left > mr && left - mr <= mr / 3 && left < 2 * mr) rows = mr - mr / 3;
      kernel->ukernel(rows, nc, kc, a + m0 * a_stride, a_stride, w, c + m0 * c_stride + n0, c_stride);
    }
  }
}
