/*
 * qs8-gemm-run.c — the blocking driver around a micro-kernel: column chunks
 * whose packed weights fit in a slice of L2 (outer), MR-row tiles (inner), so
 * each chunk of weights is streamed from L2 once per row tile while the tile's
 * activation rows stay in L1. Reentrant: no global or static scratch.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "tessera_kernels.h"

/* Packed-weight bytes per column chunk: half of a 1 MiB L2, leaving room for
 * activations and the output rows (and for 512 KiB L2s shared by two threads). */
#define TSR_GEMM_CHUNK_BYTES ((size_t)512 * 1024)

/* 1 when MR rows spaced a_stride bytes apart crowd one L1 set (4 KiB aliasing,
 * e.g. K = 4096): more than 4 distinct cache lines in the same set (line index
 * mod 64) overflow an 8-way L1 once the weight stream takes its share. */
static int rows_alias(size_t a_stride, size_t mr) {
  unsigned char count[64] = {0};
  size_t previous = (size_t)-1;
  for (size_t r = 0; r < mr; r++) {
    const size_t line = r * a_stride / 64;
    if (line == previous) continue;
    previous = line;
    if (++count[line % 64] > 4) return 1;
  }
  return 0;
}

void tsr_qs8_qc8w_gemm_run(
    const tsr_qs8_kernel* kernel,
    size_t m_begin, size_t m_end, size_t n_begin, size_t n_end, size_t kc,
    const int8_t* a, size_t a_stride,
    const void* packed,
    int8_t* c, size_t c_stride,
    const float* scale,
    const tsr_qs8_minmax_params* params) {
  if (m_begin >= m_end || n_begin >= n_end) return;
  const size_t mr = kernel->mr;
  const size_t nr = kernel->nr;
  assert(n_begin % nr == 0);
  const size_t panel = tsr_qs8_qc8w_packed_panel_bytes(kernel, kc);
  size_t chunk = TSR_GEMM_CHUNK_BYTES / panel * nr;
  if (chunk < nr) chunk = nr;
  /* Aliasing rows are copied per tile to a buffer whose row stride is an odd
   * multiple of 64 bytes (distinct L1 sets); malloc'ed per call, so reentrant. */
  int8_t* copy = NULL;
  size_t copy_stride = 0;
  if (m_end - m_begin > 1 && rows_alias(a_stride, mr)) {
    copy_stride = (kc + 127) / 128 * 128 + 64;
    copy = malloc(mr * copy_stride);
  }
  for (size_t n0 = n_begin; n0 < n_end; n0 += chunk) {
    const size_t nc = n_end - n0 < chunk ? n_end - n0 : chunk;
    const void* w = (const uint8_t*)packed + (n0 / nr) * panel;
    for (size_t m0 = m_begin; m0 < m_end; m0 += mr) {
      const size_t rows = m_end - m0 < mr ? m_end - m0 : mr;
      const int8_t* tile = a + m0 * a_stride;
      size_t tile_stride = a_stride;
      if (copy != NULL) {
        for (size_t r = 0; r < rows; r++) memcpy(copy + r * copy_stride, tile + r * a_stride, kc);
        tile = copy;
        tile_stride = copy_stride;
      }
      kernel->ukernel(rows, nc, kc, tile, tile_stride, w, c + m0 * c_stride + n0, c_stride, scale + n0, params);
    }
  }
  free(copy);
}
