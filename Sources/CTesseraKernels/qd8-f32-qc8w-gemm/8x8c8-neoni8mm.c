/*
 * 8x8c8-neoni8mm.c — 8 rows × 8 columns per step, K in groups of 8, Armv8.6
 * `usmmla` (unsigned A × signed W, so no fix-up in the loop). Layout:
 * goi-qd8, NR = 8, KR = 8 (portable twin 4x8c8-scalar.c). Rows (2i, 2i+1)
 * share one q register; accumulator (i, q) is the 2×2 block
 * [r2i·c2q, r2i·c2q+1, r2i+1·c2q, r2i+1·c2q+1], unzipped at the end as in
 * qs8-qc8w-gemm/neoni8mm-goi-c8.h; then acc − zp·colsum and the reference's
 * float epilogue. Calls with fewer rows run a 2- or 4-row instance.
 */
#include <string.h>

#include "qd8-f32-qc8w-gemm.h"
#include "neon-epilogue.h"

#if TSR_QD8_ARM64

#define TSR_QD8_I8MM_EVEN(x, y) vreinterpretq_s32_s64(vzip1q_s64(vreinterpretq_s64_s32(x), vreinterpretq_s64_s32(y)))
#define TSR_QD8_I8MM_ODD(x, y) vreinterpretq_s32_s64(vzip2q_s64(vreinterpretq_s64_s32(x), vreinterpretq_s64_s32(y)))

__attribute__((always_inline)) TSR_QD8_TARGET_NEONI8MM static inline void tsr_qd8_neoni8mm_goi_c8(
    const int MR, size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
    const tsr_qd8_params* params, const void* w, float* c, size_t c_stride) {
  const uint8_t* ar[8];
  float* cr[8];
  size_t pi[8];
  uint8x16_t tail[4];
  ar[0] = a;
  cr[0] = c;
  pi[0] = 0;
  TSR_QD8_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
    pi[r] = (size_t)r < mr ? (size_t)r : pi[r - 1];
  }
  const size_t kc8 = kc & ~(size_t)7;
  TSR_QD8_UNROLL for (int i = 0; i < MR / 2; i++) {
    uint8_t t[16] = {0};
    memcpy(t, ar[2 * i] + kc8, kc - kc8);
    memcpy(t + 8, ar[2 * i + 1] + kc8, kc - kc8);
    tail[i] = vld1q_u8(t);
  }
  const size_t panel = tsr_qd8_panel_bytes(8, 8, kc);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    int32x4_t acc[4][4];
    TSR_QD8_UNROLL for (int i = 0; i < MR / 2; i++) {
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) acc[i][q] = vdupq_n_s32(0);
    }
    const int8_t* pw = (const int8_t*)(p + 8 * 12);
    for (size_t k = 0; k < kc8; k += 8) {
      uint8x16_t va[4];
      TSR_QD8_UNROLL for (int i = 0; i < MR / 2; i++) va[i] = vcombine_u8(vld1_u8(ar[2 * i] + k), vld1_u8(ar[2 * i + 1] + k));
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_QD8_UNROLL for (int i = 0; i < MR / 2; i++) acc[i][q] = vusmmlaq_s32(acc[i][q], va[i], vw);
      }
      pw += 64;
    }
    if (kc8 != kc) {
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_QD8_UNROLL for (int i = 0; i < MR / 2; i++) acc[i][q] = vusmmlaq_s32(acc[i][q], tail[i], vw);
      }
    }
    const int32x4_t colsum0 = vld1q_s32((const int32_t*)p);
    const int32x4_t colsum1 = vld1q_s32((const int32_t*)p + 4);
    const float32x4_t ws0 = vld1q_f32((const float*)(p + 32));
    const float32x4_t ws1 = vld1q_f32((const float*)(p + 48));
    const float32x4_t b0 = vld1q_f32((const float*)(p + 64));
    const float32x4_t b1 = vld1q_f32((const float*)(p + 80));
    const size_t count = nc < 8 ? nc : 8;
    TSR_QD8_UNROLL for (int i = MR / 2 - 1; i >= 0; i--) {
      /* Odd row first: when it repeats the even row (mr odd) both write the same values. */
      TSR_QD8_UNROLL for (int h = 1; h >= 0; h--) {
        const tsr_qd8_params rp = params[pi[2 * i + h]];
        const int32x4_t zp = vdupq_n_s32(rp.zero_point);
        const int32x4_t d0 = h ? TSR_QD8_I8MM_ODD(acc[i][0], acc[i][1]) : TSR_QD8_I8MM_EVEN(acc[i][0], acc[i][1]);
        const int32x4_t d1 = h ? TSR_QD8_I8MM_ODD(acc[i][2], acc[i][3]) : TSR_QD8_I8MM_EVEN(acc[i][2], acc[i][3]);
        const int32x4_t s0 = vmlsq_s32(d0, colsum0, zp);
        const int32x4_t s1 = vmlsq_s32(d1, colsum1, zp);
        tsr_qd8_neon_store8(cr[2 * i + h], tsr_qd8_neon_epilogue(s0, rp.scale, ws0, b0),
                            tsr_qd8_neon_epilogue(s1, rp.scale, ws1, b1), count);
      }
    }
    if (nc <= 8) break;
    nc -= 8;
    p += panel;
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

TSR_QD8_TARGET_NEONI8MM TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_8x8c8__neoni8mm) {
  if (mr <= 2) {
    tsr_qd8_neoni8mm_goi_c8(2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else if (mr <= 4) {
    tsr_qd8_neoni8mm_goi_c8(4, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else {
    tsr_qd8_neoni8mm_goi_c8(8, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  }
}

#endif /* TSR_QD8_ARM64 */
