/*
 * 4x8c8-neondot.c — 4 rows × 8 columns per step, K in groups of 8, Armv8.2
 * `sdot`. Layout: goi-qd8, NR = 8, KR = 8 (portable twin 4x8c8-scalar.c).
 *
 * sdot multiplies signed bytes only, so each uint8 activation enters as
 * A XOR 0x80 = A − 128 (one eor per A load) and the epilogue adds the
 * difference back with the packed column sums:
 *   Σ_k A·W − zp·Σ_k W = Σ_k (A − 128)·W + (128 − zp)·colsum   (int32, wrapping)
 * Padding past K has zero weights, so the −128 there contributes nothing.
 * Column layout of the accumulators and the addp reduction: see
 * qs8-qc8w-gemm/neondot-goi-c8.h. Calls with 1 or 2 rows run a 2-row instance.
 */
#include <string.h>

#include "qd8-f32-qc8w-gemm.h"
#include "neon-epilogue.h"

#if TSR_QD8_ARM64

__attribute__((always_inline)) TSR_QD8_TARGET_NEONDOT static inline void tsr_qd8_neondot_goi_c8(
    const int MR, size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
    const tsr_qd8_params* params, const void* w, float* c, size_t c_stride) {
  const uint8_t* ar[4];
  float* cr[4];
  size_t pi[4];
  int8x16_t tail[4];
  ar[0] = a;
  cr[0] = c;
  pi[0] = 0;
  TSR_QD8_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
    pi[r] = (size_t)r < mr ? (size_t)r : pi[r - 1];
  }
  const int8x16_t vflip = vdupq_n_s8(INT8_MIN);
  const size_t kc8 = kc & ~(size_t)7;
  TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
    uint8_t t[8] = {0};
    memcpy(t, ar[r] + kc8, kc - kc8);
    const int8x8_t t8 = vreinterpret_s8_u8(vld1_u8(t));
    tail[r] = veorq_s8(vcombine_s8(t8, t8), vflip);
  }
  const size_t panel = tsr_qd8_panel_bytes(8, 8, kc);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    int32x4_t acc[4][4];
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_s32(0);
    }
    const int8_t* pw = (const int8_t*)(p + 8 * 12);
    for (size_t k = 0; k < kc8; k += 8) {
      int8x16_t va[4];
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        const int8x8_t a8 = vreinterpret_s8_u8(vld1_u8(ar[r] + k));
        va[r] = veorq_s8(vcombine_s8(a8, a8), vflip);
      }
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = vdotq_s32(acc[r][q], vw, va[r]);
      }
      pw += 64;
    }
    if (kc8 != kc) {
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = vdotq_s32(acc[r][q], vw, tail[r]);
      }
    }
    const int32x4_t colsum0 = vld1q_s32((const int32_t*)p);
    const int32x4_t colsum1 = vld1q_s32((const int32_t*)p + 4);
    const float32x4_t ws0 = vld1q_f32((const float*)(p + 32));
    const float32x4_t ws1 = vld1q_f32((const float*)(p + 48));
    const float32x4_t b0 = vld1q_f32((const float*)(p + 64));
    const float32x4_t b1 = vld1q_f32((const float*)(p + 80));
    const size_t count = nc < 8 ? nc : 8;
    TSR_QD8_UNROLL for (int r = MR - 1; r >= 0; r--) {
      const tsr_qd8_params rp = params[pi[r]];
      const int32x4_t fix = vdupq_n_s32(128 - rp.zero_point);
      const int32x4_t s0 = vmlaq_s32(vpaddq_s32(acc[r][0], acc[r][1]), colsum0, fix);
      const int32x4_t s1 = vmlaq_s32(vpaddq_s32(acc[r][2], acc[r][3]), colsum1, fix);
      tsr_qd8_neon_store8(cr[r], tsr_qd8_neon_epilogue(s0, rp.scale, ws0, b0),
                          tsr_qd8_neon_epilogue(s1, rp.scale, ws1, b1), count);
    }
    if (nc <= 8) break;
    nc -= 8;
    p += panel;
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

TSR_QD8_TARGET_NEONDOT TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__neondot) {
  if (mr <= 2) {
    tsr_qd8_neondot_goi_c8(2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else {
    tsr_qd8_neondot_goi_c8(4, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  }
}

#endif /* TSR_QD8_ARM64 */
