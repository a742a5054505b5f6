/*
 * scalar-goi.h — the portable consumer of the "f32-goi" layout, shared by the
 * scalar kernels (one per packed layout, so every layout is checked on every
 * machine). Same order as the reference: acc = bias, then acc = fmaf(a, w, acc)
 * for k = 0 … K−1.
 */
#ifndef TESSERA_F32_GEMM_SCALAR_GOI_H
#define TESSERA_F32_GEMM_SCALAR_GOI_H

#include <assert.h>
#include <math.h>

#include "f32-gemm.h"

static inline void tsr_f32_gemm_scalar_goi(
    size_t mr_max, size_t nr,
    size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const void* w, float* c, size_t c_stride) {
  assert(mr >= 1 && mr <= mr_max);
  (void)mr_max;
  const size_t panel = tsr_f32_gemm_panel_bytes(nr, kc);
  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += nr, p += panel) {
    const float* pb = (const float*)p;
    const size_t count = nc - n0 < nr ? nc - n0 : nr;
    for (size_t i = 0; i < mr; i++) {
      const float* ai = a + i * a_stride;
      for (size_t j = 0; j < count; j++) {
        float acc = pb[j];
        const float* pw = pb + nr + j;
        for (size_t k = 0; k < kc; k++) acc = fmaf(ai[k], pw[k * nr], acc);
        c[i * c_stride + n0 + j] = acc;
      }
    }
  }
}

#endif /* TESSERA_F32_GEMM_SCALAR_GOI_H */
