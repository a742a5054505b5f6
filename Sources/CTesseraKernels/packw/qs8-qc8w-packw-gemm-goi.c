/*
 * qs8-qc8w-packw-gemm-goi.c — packs W[N][K] (output channels × inputs, as a
 * Dense layer's [out, in] matrix) into the GEMM "goi" layout described in
 * qs8-qc8w-gemm.h, folding the activation zero point into the biases with
 * column sums taken here (gemmlowp's offset trick). tsr_pack_goi (pack-goi.h) is
 * the packer of the GEMV layout too.
 */
#include <string.h>

#include "../qs8-qc8w-gemm/qs8-qc8w-gemm.h"

void tsr_pack_goi(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t input_offset, uint8_t flip,
    void* packed) {
  const size_t panel = tsr_goi_panel_bytes(nr, kr, kc);
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    uint8_t* p = (uint8_t*)packed + (n0 / nr) * panel;
    memset(p, 0, panel);
    uint8_t* pw = p + nr * sizeof(int32_t);
    for (size_t j = 0; j < nr && n0 + j < n; j++) {
      const int8_t* row = w + (n0 + j) * w_stride;
      uint32_t sum = 0;
      for (size_t k = 0; k < kc; k++) {
        sum += (uint32_t)(int32_t)row[k];
        pw[((k / kr) * nr + j) * kr + k % kr] = (uint8_t)row[k] ^ flip;
      }
      const uint32_t b = bias != NULL ? (uint32_t)bias[n0 + j] : 0u;
      const int32_t adjusted = (int32_t)(b - (uint32_t)input_offset * sum);
      memcpy(p + j * sizeof(int32_t), &adjusted, sizeof(int32_t));
    }
  }
}

void tsr_qs8_qc8w_pack_gemm_goi_s8w(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  tsr_pack_goi(n, kc, nr, kr, w, w_stride, bias, a_zero_point, 0x00, packed);
}

void tsr_qs8_qc8w_pack_gemm_goi_u8w(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  tsr_pack_goi(n, kc, nr, kr, w, w_stride, bias, a_zero_point, 0x80, packed);
}
