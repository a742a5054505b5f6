/*
 * pack-nrxkr.c — packs W[N][K] into the GEMV "nr×kr" layout described in
 * qs8-qc8w-gemv.h (the same arrangement as the GEMM goi layout, so the shared
 * tsr_pack_goi does the work), folding the input offset into the biases.
 */
#include "qs8-qc8w-gemv.h"

void tsr_qs8_qc8w_pack_gemv_nrxkr_s8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  tsr_pack_goi(n, kc, nr, kr, w, w_stride, bias, a_zero_point, 0x00, packed);
}

void tsr_qs8_qc8w_pack_gemv_nrxkr_u8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed) {
  tsr_pack_goi(n, kc, nr, kr, w, w_stride, bias, a_zero_point + 128, 0x00, packed);
}
