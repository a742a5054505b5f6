/*
 * f32-packw-gemm-goi.c — packs W[N][K] float (row n = output channel) and the
 * bias into the "f32-goi" panels of f32-gemm/f32-gemm.h: per panel bias[NR],
 * then for each k the NR weights W[n0 + j][k] (k-major); zeros past N.
 */
#include <string.h>

#include "../f32-gemm/f32-gemm.h"

void tsr_f32_gemm_pack_goi(
    size_t n, size_t kc, size_t nr,
    const float* w, size_t w_stride, const float* bias,
    void* packed) {
  const size_t panel = tsr_f32_gemm_panel_bytes(nr, kc);
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    float* p = (float*)((uint8_t*)packed + (n0 / nr) * panel);
    memset(p, 0, panel);
    const size_t count = n - n0 < nr ? n - n0 : nr;
    for (size_t j = 0; j < count; j++) {
      const float* row = w + (n0 + j) * w_stride;
      p[j] = bias != NULL ? bias[n0 + j] : 0.0f;
      for (size_t k = 0; k < kc; k++) p[nr + k * nr + j] = row[k];
    }
  }
}
