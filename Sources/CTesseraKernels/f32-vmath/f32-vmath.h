/*
 * f32-vmath.h — the float vector-math kernels behind tsr_f32_vmath_config
 * (internal to CTesseraKernels) and the constants every variant shares.
 *
 * exp(x): clamp x to [-110, 89] (NaN passes through), n = rint(x·log2 e),
 * r = x − n·C1 − n·C2 (C1 + C2 = ln 2, C1 has 9 significant bits so n·C1 is
 * exact: Cody–Waite), |r| ≤ ln2/2; exp(r) = 1 + r + r²·P(r), P the degree-5
 * Cephes expf polynomial; result · 2^n. Scaling by 2^n is split into
 * 2^(n>>1) · 2^(n − (n>>1)) (both factors normal) in the scalar and AVX2
 * variants, and done by vscalefps on AVX-512, so overflow gives +inf and
 * underflow gives denormals; x < -104 (and −inf) gives 0 by a select.
 *
 * erf(x): Eigen's / XLA's rational approximation x·P(x²)/Q(x²) on x clamped
 * to [-4, 4] (P degree 6, Q degree 4 in x²).
 */
#ifndef TESSERA_F32_VMATH_INTERNAL_H
#define TESSERA_F32_VMATH_INTERNAL_H

#include <stddef.h>

#include "tessera/f32-vmath.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_VMATH_X86_64 1
#else
#define TSR_VMATH_X86_64 0
#endif

/* MARK: - Constants */

#define TSR_EXP_LO (-110.0f)   /* exp(-110) ≪ 2^-149: rounds to 0 */
#define TSR_EXP_ZERO (-104.0f) /* exp(x) < 2^-150 below: the result is set to 0 directly, which also
                                  avoids the slow microcode assist of an underflowing multiply */
#define TSR_EXP_HI 89.0f     /* exp(89) > FLT_MAX: +inf */
#define TSR_LOG2E 1.44269504088896341f
#define TSR_EXP_C1 0.693359375f
#define TSR_EXP_C2 (-2.12194440e-4f)
#define TSR_EXP_P5 1.9875691500e-4f
#define TSR_EXP_P4 1.3981999507e-3f
#define TSR_EXP_P3 8.3334519073e-3f
#define TSR_EXP_P2 4.1665795894e-2f
#define TSR_EXP_P1 1.6666665459e-1f
#define TSR_EXP_P0 5.0000001201e-1f

/* exp for softmax (z − max ≤ 0), f32-softmax-<isa>.c: magic bias 1.5·2^23 + 127 (rounds x·log2e to an
 * integer n and leaves n + 127 in the low mantissa bits), degree-5 minimax polynomial on |r| ≤ ln2/2
 * (the coefficients of XNNPACK's f32 "p5" kernels), 0 below TSR_SOFTMAX_EXP_ZERO. */
#define TSR_SOFTMAX_EXP_ZERO (-87.0f) /* exp(-87) ≈ 1.6e-38 is still normal; below: 0 */
#define TSR_SOFTMAX_MAGIC 0x1.8000FEp23f
#define TSR_SOFTMAX_Q5 0x1.0F9F9Cp-7f
#define TSR_SOFTMAX_Q4 0x1.573A1Ap-5f
#define TSR_SOFTMAX_Q3 0x1.555A80p-3f
#define TSR_SOFTMAX_Q2 0x1.FFFDC6p-2f
#define TSR_SOFTMAX_Q1 0x1.FFFFF6p-1f

#define TSR_ERF_CLAMP 4.0f
#define TSR_ERF_A13 (-2.72614225801306e-10f)
#define TSR_ERF_A11 2.77068142495902e-08f
#define TSR_ERF_A9 (-2.10102402082508e-06f)
#define TSR_ERF_A7 (-5.69250639462346e-05f)
#define TSR_ERF_A5 (-7.34990630326855e-04f)
#define TSR_ERF_A3 (-2.95459980854025e-03f)
#define TSR_ERF_A1 (-1.60960333262415e-02f)
#define TSR_ERF_B8 (-1.45660718464996e-05f)
#define TSR_ERF_B6 (-2.13374055278905e-04f)
#define TSR_ERF_B4 (-1.68282697438203e-03f)
#define TSR_ERF_B2 (-7.37332916720468e-03f)
#define TSR_ERF_B0 (-1.42647390514189e-02f)

#define TSR_SQRT1_2 0.707106781186547524f   /* 1/√2 */
#define TSR_GELU_K 0.797884560802865356f    /* √(2/π) */
#define TSR_GELU_C 0.044715f

/* MARK: - Kernels (one set per ISA) */

#define TSR_F32_VMATH_DECLARE(isa)                                                                      \
  void tsr_f32_vexp_ukernel__##isa(size_t n, const float* x, float* y);                                 \
  void tsr_f32_verf_ukernel__##isa(size_t n, const float* x, float* y);                                 \
  void tsr_f32_vgelu_erf_ukernel__##isa(size_t n, const float* x, float* y);                            \
  void tsr_f32_vgelu_tanh_ukernel__##isa(size_t n, const float* x, float* y);                           \
  void tsr_f32_softmax_rows_ukernel__##isa(size_t rows, size_t n, const float* x, size_t x_stride,      \
                                           float* y, size_t y_stride, float scale, const float* mask);  \
  void tsr_f32_layernorm_rows_ukernel__##isa(size_t rows, size_t n, const float* x, size_t x_stride,    \
                                             const float* r, size_t r_stride, float* y, size_t y_stride, \
                                             const float* gamma, const float* beta, float eps);         \
  void tsr_f32_add_layernorm_rows_ukernel__##isa(                                                        \
      size_t rows, size_t n, const float* x, size_t x_stride, const float* r, size_t r_stride, float* y, \
      size_t y_stride, const float* gamma, const float* beta, float eps);                               \
  void tsr_f32_row_sumsq_ukernel__##isa(size_t rows, size_t n, const float* x, size_t x_stride, float* out); \
  void tsr_f32_l2_normalize_rows_ukernel__##isa(size_t rows, size_t n, const float* x, size_t x_stride,  \
                                                float* y, size_t y_stride, float eps);

TSR_F32_VMATH_DECLARE(scalar)
#if TSR_VMATH_X86_64
TSR_F32_VMATH_DECLARE(avx2)
TSR_F32_VMATH_DECLARE(avx512f)
#endif

#endif /* TESSERA_F32_VMATH_INTERNAL_H */
