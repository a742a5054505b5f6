/*
 * scalar-goi.h — the portable consumer of the "goi-qd8" layout, shared by the
 * scalar kernels (one per packed layout, so every layout is checked on every
 * machine). Same epilogue order as the reference: p = scale_m · w_scale[n],
 * t = (float)acc · p (rounded), y = t + bias.
 */
#ifndef TESSERA_QD8_SCALAR_GOI_H
#define TESSERA_QD8_SCALAR_GOI_H

#include <assert.h>
#include <string.h>

#include "qd8-f32-qc8w-gemm.h"

static inline void tsr_qd8_gemm_scalar_goi(
    size_t mr_max, size_t nr, size_t kr,
    size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const void* w, float* c, size_t c_stride) {
  assert(mr >= 1 && mr <= mr_max);
  (void)mr_max;
  const size_t panel = tsr_qd8_panel_bytes(nr, kr, kc);
  const size_t groups = (kc + kr - 1) / kr;
  for (size_t i = 0; i < mr; i++) {
    const uint8_t* ai = a + i * a_stride;
    const uint8_t* p = (const uint8_t*)w;
    for (size_t n0 = 0; n0 < nc; n0 += nr, p += panel) {
      const size_t count = nc - n0 < nr ? nc - n0 : nr;
      const uint8_t* pw = p + nr * 12;
      for (size_t j = 0; j < count; j++) {
        int32_t colsum;
        float ws, b;
        memcpy(&colsum, p + j * 4, 4);
        memcpy(&ws, p + nr * 4 + j * 4, 4);
        memcpy(&b, p + nr * 8 + j * 4, 4);
        uint32_t acc = 0u - (uint32_t)params[i].zero_point * (uint32_t)colsum;
        for (size_t g = 0; g < groups; g++) {
          const int8_t* wg = (const int8_t*)pw + (g * nr + j) * kr;
          for (size_t r = 0; r < kr && g * kr + r < kc; r++) {
            acc += (uint32_t)((int32_t)ai[g * kr + r] * (int32_t)wg[r]);
          }
        }
        const float s = params[i].scale * ws;
        float t = (float)(int32_t)acc * s;
        TSR_QD8_ROUNDED(t);
        c[i * c_stride + n0 + j] = t + b;
      }
    }
  }
}

#endif /* TESSERA_QD8_SCALAR_GOI_H */
