/*
 * 32x32c4-avx512amx.c — 32 rows × 32 columns per step on Intel AMX
 * (tdpbusd: uint8 activations × int8 weights → int32 tiles), AVX-512 epilogue.
 * Layout: goi-qd8 with NR = 32, KR = 4 — byte for byte the layout of
 * 12x32c4-avx512vnni, because an AMX B tile is exactly that order: tile row g
 * holds, for 16 columns, the 4 weights of K group g. Each 64-deep K block is
 *   A0 (rows 0–15) and A1 (rows 16–31): 16 × 64 bytes straight from A's rows;
 *   B0 (columns 0–15) and B1 (16–31): 16 K groups × 64 bytes, row stride 128;
 *   C00 += A0·B0, C01 += A0·B1, C10 += A1·B0, C11 += A1·B1 (int32, wrapping).
 * The tile configuration is loaded per call with as many A/C rows as `mr`
 * needs, so no row past A's last is read. A K tail (kc not a multiple of 64) is
 * copied to zero-filled stack blocks (A's rows and the panel's remaining K
 * groups), so no byte past A's rows or past the packed weights is read either:
 * zeros past kc contribute nothing. The int32 tiles are stored to a stack block
 * and finished as the reference: acc − zero_point_m · colsum[n] (wrapping),
 * p = scale_m · w_scale, t = (float)acc · p (rounded), y = t + bias.
 * Needs the OS's permission for AMX tile data (asked once by tsr_cpu_features).
 */
#include <string.h>

#include "qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

#include "../amx/amx-tile-config.h"

/* Tiles: 0–3 accumulators C00 C01 C10 C11, 4–5 A0 A1, 6–7 B0 B1. */
static void tsr_amx_config(tsr_amx_tile_config* cfg, size_t m0, size_t m1) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->palette_id = 1;
  const uint8_t r[8] = {(uint8_t)m0, (uint8_t)m0, (uint8_t)m1, (uint8_t)m1, (uint8_t)m0, (uint8_t)m1, 16, 16};
  for (int t = 0; t < 8; t++) {
    cfg->rows[t] = r[t];
    cfg->colsb[t] = r[t] != 0 ? 64 : 0;
  }
}

/* Finishes rows [0, rows) of the 32 int32 columns at acc (row stride 32) into C. */
TSR_QD8_TARGET_AMX static inline void tsr_amx_epilogue(
    size_t rows, size_t nc, const int32_t* acc, const tsr_qd8_params* params, const uint8_t* panel,
    float* c, size_t c_stride) {
  for (int j = 0; j < 2; j++) {
    const size_t rem = nc > 16 * (size_t)j ? nc - 16 * (size_t)j : 0;
    if (rem == 0) break;
    const __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
    const __m512i vcolsum = _mm512_loadu_si512(panel + 64 * j);
    const __m512 vws = _mm512_loadu_ps((const float*)(panel + 32 * 4) + 16 * j);
    const __m512 vb = _mm512_loadu_ps((const float*)(panel + 32 * 8) + 16 * j);
    for (size_t r = 0; r < rows; r++) {
      const __m512i nzp = _mm512_set1_epi32((int32_t)(0u - (uint32_t)params[r].zero_point));
      const __m512i v = _mm512_add_epi32(_mm512_loadu_si512(acc + r * 32 + 16 * j), _mm512_mullo_epi32(vcolsum, nzp));
      const __m512 vp = _mm512_mul_ps(_mm512_set1_ps(params[r].scale), vws);
      __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(v), vp);
      TSR_QD8_ROUNDED(t);
      _mm512_mask_storeu_ps(c + r * c_stride + 16 * j, m, _mm512_add_ps(t, vb));
    }
  }
}

/*
 * One instance per row-tile count (1: mr ≤ 16, 2: mr ≤ 32); constant tile
 * numbers throughout. Software-pipelined: the AVX-512 epilogue of panel j − 1
 * is issued right after panel j's tdpbusd instructions, so it runs while the
 * tile unit multiplies; then panel j's tiles are stored over the block it read.
 */
#define TSR_AMX_BODY(TWO)                                                                          \
  const uint8_t* prev = NULL;                                                                      \
  float* prev_c = c;                                                                               \
  size_t prev_nc = 0;                                                                              \
  for (;;) {                                                                                       \
    _tile_zero(0);                                                                                 \
    _tile_zero(1);                                                                                 \
    if (TWO) {                                                                                     \
      _tile_zero(2);                                                                               \
      _tile_zero(3);                                                                               \
    }                                                                                              \
    const uint8_t* pw = p + 32 * 12;                                                               \
    for (size_t k = 0; k < kc64; k += 64) {                                                        \
      _tile_loadd(4, a + k, a_stride);                                                             \
      _tile_loadd(6, pw, 128);                                                                     \
      _tile_loadd(7, pw + 64, 128);                                                                \
      _tile_dpbusd(0, 4, 6);                                                                       \
      _tile_dpbusd(1, 4, 7);                                                                       \
      if (TWO) {                                                                                   \
        _tile_loadd(5, a + 16 * a_stride + k, a_stride);                                           \
        _tile_dpbusd(2, 5, 6);                                                                     \
        _tile_dpbusd(3, 5, 7);                                                                     \
      }                                                                                            \
      pw += 16 * 128;                                                                              \
    }                                                                                              \
    if (tail_groups != 0) {                                                                        \
      memcpy(btail, pw, tail_groups * 128);                                                        \
      _tile_loadd(4, atail, 64);                                                                   \
      _tile_loadd(6, btail, 128);                                                                  \
      _tile_loadd(7, btail + 64, 128);                                                             \
      _tile_dpbusd(0, 4, 6);                                                                       \
      _tile_dpbusd(1, 4, 7);                                                                       \
      if (TWO) {                                                                                   \
        _tile_loadd(5, atail + 16 * 64, 64);                                                       \
        _tile_dpbusd(2, 5, 6);                                                                     \
        _tile_dpbusd(3, 5, 7);                                                                     \
      }                                                                                            \
    }                                                                                              \
    if (prev != NULL) tsr_amx_epilogue(mr, prev_nc, acc, params, prev, prev_c, c_stride);          \
    _tile_stored(0, acc, 128);                                                                     \
    _tile_stored(1, acc + 16, 128);                                                                \
    if (TWO) {                                                                                     \
      _tile_stored(2, acc + 16 * 32, 128);                                                         \
      _tile_stored(3, acc + 16 * 32 + 16, 128);                                                    \
    }                                                                                              \
    prev = p;                                                                                      \
    prev_c = c;                                                                                    \
    prev_nc = nc;                                                                                  \
    if (nc <= 32) break;                                                                           \
    nc -= 32;                                                                                      \
    p += panel;                                                                                    \
    c += 32;                                                                                       \
  }                                                                                                \
  tsr_amx_epilogue(mr, prev_nc, acc, params, prev, prev_c, c_stride);

TSR_QD8_TARGET_AMX TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_32x32c4__avx512amx) {
  const size_t m0 = mr < 16 ? mr : 16;
  const size_t m1 = mr - m0;
  tsr_amx_tile_config cfg;
  tsr_amx_config(&cfg, m0, m1);
  tsr_amx_load_config(&cfg);

  const size_t kc64 = kc & ~(size_t)63;
  const size_t tail = kc - kc64;
  const size_t tail_groups = (tail + 3) / 4;
  _Alignas(64) uint8_t atail[32 * 64];
  _Alignas(64) uint8_t btail[16 * 128];
  _Alignas(64) int32_t acc[32 * 32];
  if (tail_groups != 0) {
    memset(atail, 0, sizeof(atail));
    memset(btail, 0, sizeof(btail));
    for (size_t r = 0; r < mr; r++) memcpy(atail + r * 64, a + r * a_stride + kc64, tail);
  }
  const size_t panel = tsr_qd8_panel_bytes(32, 4, kc);
  const uint8_t* p = (const uint8_t*)w;
  if (m1 == 0) {
    TSR_AMX_BODY(0)
  } else {
    TSR_AMX_BODY(1)
  }
  _tile_release();
}

#undef TSR_AMX_BODY
#endif
