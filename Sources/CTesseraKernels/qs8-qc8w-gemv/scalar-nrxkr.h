/*
 * scalar-nrxkr.h — the portable consumer of the GEMV "nr×kr" layout, shared by
 * the scalar kernels (one per layout) so every packed layout is tested on every
 * machine. `input_offset` is what the layout's packer folded into the biases
 * (0 for _s8, 128 for _u8): each activation is multiplied as A + input_offset.
 */
#ifndef TESSERA_GEMV_SCALAR_NRXKR_H
#define TESSERA_GEMV_SCALAR_NRXKR_H

#include <string.h>

#include "qs8-qc8w-gemv.h"

#define TSR_GEMV_SCALAR_MAX_NR 64
#define TSR_GEMV_SCALAR_MAX_KR 16

static inline void tsr_gemv_scalar_nrxkr(
    size_t nr, size_t kr, int32_t input_offset,
    size_t nc, size_t kc, const int8_t* a, const void* w, int8_t* c,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const size_t kc_padded = (kc + kr - 1) / kr * kr;
  const size_t panel = tsr_goi_panel_bytes(nr, kr, kc);
  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += nr, p += panel) {
    uint32_t acc[TSR_GEMV_SCALAR_MAX_NR];
    for (size_t j = 0; j < nr; j++) {
      int32_t b;
      memcpy(&b, p + j * sizeof(int32_t), sizeof(int32_t));
      acc[j] = (uint32_t)b;
    }
    const int8_t* pw = (const int8_t*)(p + nr * sizeof(int32_t));
    for (size_t k0 = 0; k0 < kc_padded; k0 += kr) {
      /* The K block's activations (zero past kc: those weights are zero too). */
      int32_t x[TSR_GEMV_SCALAR_MAX_KR];
      for (size_t r = 0; r < kr; r++) x[r] = k0 + r < kc ? (int32_t)a[k0 + r] + input_offset : 0;
      for (size_t j = 0; j < nr; j++) {
        for (size_t r = 0; r < kr; r++) acc[j] += (uint32_t)(x[r] * (int32_t)pw[j * kr + r]);
      }
      pw += nr * kr;
    }
    const size_t count = nc - n0 < nr ? nc - n0 : nr;
    for (size_t j = 0; j < count; j++) {
      c[n0 + j] = tsr_qs8_requantize_fp32((int32_t)acc[j], scale[n0 + j], params);
    }
  }
}

#endif /* TESSERA_GEMV_SCALAR_NRXKR_H */
