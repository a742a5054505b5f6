/*
 * tessera/f32-vmath.h — float32 vector math for transformer encoders (BERT,
 * MiniLM): exp, erf, GELU (erf and tanh forms), row softmax with scale and an
 * additive mask, LayerNorm (plain and residual-add), row sum of squares and L2
 * normalization. Included by tessera_kernels.h.
 *
 * Every operation is one function pointer in a tsr_f32_vmath_config; there is
 * one config per compiled variant (scalar, AVX2 + FMA, AVX-512F), chosen at run
 * time by tsr_f32_vmath(). The scalar variant is the definition; the SIMD
 * variants use the same algorithms and constants, so they agree with it to a
 * few ulp (not bit for bit: they contract multiply-adds into FMAs).
 *
 * Conventions: rows are contiguous float32; row strides are in floats
 * (elements), not bytes. Output may alias input exactly (in place) for every
 * operation; partial overlap is not allowed. n = 0 or rows = 0 does nothing.
 * Accuracy bounds (measured against libm in double) are in docs/kernels.md,
 * "Float vector math for transformers".
 */
#ifndef TESSERA_F32_VMATH_H
#define TESSERA_F32_VMATH_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Operation signatures */

/**
 * y[i] = f(x[i]) for i < n. Used for exp (≤ 2 ulp on [-87.3, 88.7]; 0 below
 * about -103.9, +inf above 88.72, NaN → NaN), erf (absolute error ≤ 5e-7),
 * gelu_erf = 0.5·x·(1 + erf(x/√2)) and
 * gelu_tanh = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) = x / (1 + exp(−2u)).
 */
typedef void (*tsr_f32_vunary_fn)(size_t n, const float* x, float* y);

/**
 * Softmax of each of `rows` rows of n floats:
 *   z[j] = x[j]·scale + mask[j]     (evaluated in float: a multiply, then an add)
 *   y[j] = exp(z[j] − max z) / Σ exp(z − max z)
 * `mask` (NULL = none) is one row of n floats shared by every row (the attention
 * mask broadcast); −inf entries mask a position out. A row whose z are all −inf
 * (fully masked) gives all zeros, not NaN (ONNX Runtime 1.32's Softmax gives NaN
 * there). Inputs are finite or −inf; a NaN input makes its row NaN.
 */
typedef void (*tsr_f32_softmax_fn)(
    size_t rows, size_t n,
    const float* x, size_t x_stride,
    float* y, size_t y_stride,
    float scale, const float* mask);

/**
 * LayerNorm of each row of n floats, v = x (+ r for the residual variant):
 *   y[j] = (v[j] − mean) · 1/sqrt(var + eps) · gamma[j] + beta[j]
 * mean and the biased variance come from a shifted two-pass in float: with
 * shift = v[0], m = Σ(v − shift)/n and d = (v − shift) − m (rounding scales
 * with the row's spread, not |mean|; constant rows give exactly beta), and the
 * corrected two-pass formula var = (Σd² − (Σd)²/n)/n. gamma NULL = ones, beta NULL =
 * zeros. `r` is ignored (may be NULL) by the plain variant; the residual
 * variant computes LN(x + r) (BERT's post-LN) and may run in place on x or r.
 */
typedef void (*tsr_f32_layernorm_fn)(
    size_t rows, size_t n,
    const float* x, size_t x_stride,
    const float* r, size_t r_stride,
    float* y, size_t y_stride,
    const float* gamma, const float* beta, float eps);

/** out[i] = Σ_j x[i][j]² for each of `rows` rows (float accumulation). */
typedef void (*tsr_f32_row_sumsq_fn)(size_t rows, size_t n, const float* x, size_t x_stride, float* out);

/** y = x / max(‖x‖₂, eps) per row (PyTorch F.normalize, sentence embeddings). */
typedef void (*tsr_f32_l2_normalize_fn)(
    size_t rows, size_t n,
    const float* x, size_t x_stride,
    float* y, size_t y_stride,
    float eps);

/* MARK: - Configs */

/** One compiled variant: every operation for one instruction set. */
typedef struct tsr_f32_vmath_config {
  /** ISA suffix of its kernels: "scalar", "avx2" (AVX2 + FMA) or "avx512f". */
  const char* name;
  /** TSR_CPU_* bits the variant needs (0 for scalar). */
  uint32_t cpu_features;
  tsr_f32_vunary_fn exp;
  tsr_f32_vunary_fn erf;
  tsr_f32_vunary_fn gelu_erf;
  tsr_f32_vunary_fn gelu_tanh;
  tsr_f32_softmax_fn softmax;
  /** LN(x); r ignored. */
  tsr_f32_layernorm_fn layernorm;
  /** LN(x + r). */
  tsr_f32_layernorm_fn add_layernorm;
  tsr_f32_row_sumsq_fn row_sumsq;
  tsr_f32_l2_normalize_fn l2_normalize;
} tsr_f32_vmath_config;

/** Compiled variants, scalar first, whatever the CPU supports. */
size_t tsr_f32_vmath_count(void);
const tsr_f32_vmath_config* tsr_f32_vmath_at(size_t index);
/** 1 when the running CPU (and OS) can execute the variant. */
int tsr_f32_vmath_supported(const tsr_f32_vmath_config* config);

/**
 * The variant an ISA word stands for: scalar → scalar; avx2 and avxvnni →
 * AVX2 + FMA; avx512vnni → AVX-512F; neondot → scalar (no NEON variant yet).
 * NULL when the CPU lacks the ISA (tsr_isa_supported) or the variant.
 */
const tsr_f32_vmath_config* tsr_f32_vmath_for_isa(tsr_isa isa);

/**
 * Selection with the override given as a parameter: `isa_word` NULL or "" =
 * the most capable supported variant (AVX-512F, then AVX2 + FMA, then scalar;
 * AVX-512F does not need VNNI); otherwise an ISA word as for TESSERA_ISA. NULL
 * and a one-line message in err (same form as tsr_qs8_select_kernel_for)
 * when the word is unknown or the CPU lacks the ISA.
 */
const tsr_f32_vmath_config* tsr_f32_vmath_select(const char* isa_word, char* err, size_t err_size);

/** tsr_f32_vmath_select(getenv("TESSERA_ISA"), NULL, 0): NULL only for a bad TESSERA_ISA. */
const tsr_f32_vmath_config* tsr_f32_vmath(void);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_F32_VMATH_H */
