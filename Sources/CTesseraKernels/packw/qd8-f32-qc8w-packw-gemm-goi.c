/*
 * qd8-f32-qc8w-packw-gemm-goi.c — packs W[N][K] int8, the per-channel weight
 * scales and the float bias into the "goi-qd8" panels of qd8-f32-qc8w-gemm.h:
 * per panel colsum[NR] (int32, Σ_k W[n][k] for the activation zero-point
 * correction), w_scale[NR], bias[NR], then the signed weights in goi order.
 */
#include <string.h>

#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

void tsr_qd8_f32_qc8w_pack_gemm_goi(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride, const float* w_scale, const float* bias,
    void* packed) {
  const size_t panel = tsr_qd8_panel_bytes(nr, kr, kc);
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    uint8_t* p = (uint8_t*)packed + (n0 / nr) * panel;
    memset(p, 0, panel);
    uint8_t* pw = p + nr * 12;
    for (size_t j = 0; j < nr && n0 + j < n; j++) {
      const int8_t* row = w + (n0 + j) * w_stride;
      uint32_t sum = 0;
      for (size_t k = 0; k < kc; k++) {
        sum += (uint32_t)(int32_t)row[k];
        pw[((k / kr) * nr + j) * kr + k % kr] = (uint8_t)row[k];
      }
      const int32_t colsum = (int32_t)sum;
      const float b = bias != NULL ? bias[n0 + j] : 0.0f;
      memcpy(p + j * 4, &colsum, 4);
      memcpy(p + nr * 4 + j * 4, &w_scale[n0 + j], 4);
      memcpy(p + nr * 8 + j * 4, &b, 4);
    }
  }
}
