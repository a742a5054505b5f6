/*
 * pack-nrxkr.c — packs W[N][K] into the GEMV "nr×kr" layout described in
 * qs8-qc8w-gemv.h, folding the input offset into the biases with column sums.
 */
#include <string.h>

#include "qs8-qc8w-gemv.h"

/* Arithmetic is done in uint32 so that it wraps like the int32 accumulators. */
static void pack_gemv_nrxkr(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t input_offset,
    void* packed) {
  const size_t panel = tsr_gemv_panel_bytes(nr, kr, kc);
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    uint8_t* p = (uint8_t*)packed + (n0 / nr) * panel;
    memset(p, 0, panel);
    int8_t* pw = (int8_t*)(p + nr * sizeof(int32_t));
    for (size_t j = 0; j < nr && n0 + j < n; j++) {
      const int8_t* row = w + (n0 + j) * w_stride;
      uint32_t sum = 0;
      for (size_t k = 0; k < kc; k++) {
        sum += (uint32_t)(int32_t)row[k];
        pw[(k / kr * nr + j) * kr + k % kr] = row[k];
      }
      const uint32_t b = bias != NULL ? (uint32_t)bias[n0 + j] : 0u;
      const int32_t adjusted = (int32_t)(b - (uint32_t)input_offset * sum);
      memcpy(p + j * sizeof(int32_t), &adjusted, sizeof(int32_t));
    }
  }
}

void tsr_qs8_qc8w_pack_gemv_nrxkr_s8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  pack_gemv_nrxkr(n, kc, nr, kr, w, w_stride, bias, a_zero_point, packed);
}

void tsr_qs8_qc8w_pack_gemv_nrxkr_u8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  pack_gemv_nrxkr(n, kc, nr, kr, w, w_stride, bias, a_zero_point + 128, packed);
}
