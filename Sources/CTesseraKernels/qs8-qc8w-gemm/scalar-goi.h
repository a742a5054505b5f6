/*
 * scalar-goi.h — the portable consumer of the GEMM "goi" layout, shared by the
 * scalar kernels (one per packed layout, so every layout is tested on every
 * machine). Plain loops; the compiler may vectorize them.
 */
#ifndef TESSERA_GEMM_SCALAR_GOI_H
#define TESSERA_GEMM_SCALAR_GOI_H

#include <assert.h>
#include <string.h>

#include "qs8-qc8w-gemm.h"

/* `u8w` selects the weight encoding: 0 = signed bytes (_s8w), 1 = W + 128 as
 * unsigned bytes (_u8w), corrected by −128 · Σ_k A[m][k] per row. */
static inline void tsr_gemm_scalar_goi(
    size_t mr_max, size_t nr, size_t kr, int u8w,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  assert(mr >= 1 && mr <= mr_max);
  (void)mr_max;
  const size_t panel = tsr_goi_panel_bytes(nr, kr, kc);
  const size_t groups = (kc + kr - 1) / kr;
  for (size_t i = 0; i < mr; i++) {
    const int8_t* ai = a + i * a_stride;
    uint32_t correction = 0;
    if (u8w) {
      for (size_t k = 0; k < kc; k++) correction -= 128u * (uint32_t)(int32_t)ai[k];
    }
    const uint8_t* p = (const uint8_t*)w;
    for (size_t n0 = 0; n0 < nc; n0 += nr, p += panel) {
      const size_t count = nc - n0 < nr ? nc - n0 : nr;
      const uint8_t* pw = p + nr * sizeof(int32_t);
      for (size_t j = 0; j < count; j++) {
        int32_t bias;
        memcpy(&bias, p + j * sizeof(int32_t), sizeof(int32_t));
        uint32_t acc = (uint32_t)bias + correction;
        for (size_t g = 0; g < groups; g++) {
          const uint8_t* wg = pw + (g * nr + j) * kr;
          for (size_t r = 0; r < kr && g * kr + r < kc; r++) {
            const int32_t wv = u8w ? (int32_t)wg[r] : (int32_t)(int8_t)wg[r];
            acc += (uint32_t)((int32_t)ai[g * kr + r] * wv);
          }
        }
        c[i * c_stride + n0 + j] = tsr_qs8_requantize_fp32((int32_t)acc, scale[n0 + j], params);
      }
    }
  }
}

#endif /* TESSERA_GEMM_SCALAR_GOI_H */
