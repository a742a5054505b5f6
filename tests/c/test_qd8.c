/*
 * test_qd8.c — the C checker of the qd8-f32-qc8w family, run by ctest. For every
 * enumerated qd8 kernel the CPU supports: its row quantizer against
 * tsr_f32_qd8_quantize_reference (bytes and per-row parameters identical) on
 * random and extreme rows, its micro-kernel and the blocking driver against
 * tsr_qd8_f32_qc8w_gemm_reference (float outputs identical bit for bit, the
 * bytes around the output untouched) on a grid of M × N × K plus the MiniLM
 * shapes, the int32 accumulators exact (unit scales), and quantize + GEMM end
 * to end. Unsupported kernels are printed as skipped. Exit 0 when all passed.
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera_kernels.h"

/* MARK: - Random data */

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static uint32_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static float rnd_unit(void) { return (float)(rnd() % 2000001) / 1000000.0f - 1.0f; }

/* Symmetric weights −127…127 with the extremes over-represented, −128 rarely (accepted). */
static int8_t rnd_weight(void) {
  switch (rnd() % 16) {
    case 0: return 127;
    case 1: return -127;
    case 2: return -128;
    default: return (int8_t)((int)(rnd() % 255) - 127);
  }
}

/* Row kinds: random, zeros, constant ±, huge, tiny, ties (multiples of 0.5 · scale). */
enum { ROW_KINDS = 8 };
static void fill_row(float* x, size_t k, int kind) {
  const float c = rnd_unit() * 10.0f;
  for (size_t i = 0; i < k; i++) {
    switch (kind) {
      case 0: x[i] = rnd_unit() * 3.0f; break;
      case 1: x[i] = 0.0f; break;
      case 2: x[i] = c > 0 ? c : -c + 0.5f; break;
      case 3: x[i] = c < 0 ? c : -c - 0.5f; break;
      case 4: x[i] = rnd_unit() * 3.0e38f; break;
      case 5: x[i] = rnd_unit() * 1.0e-39f; break;
      case 6: x[i] = (float)((int)(rnd() % 511) - 255) * 0.5f; break;
      default: x[i] = i % 7 == 0 ? 1.0e6f * rnd_unit() : rnd_unit(); break;
    }
  }
}

/* MARK: - Checks */

static int check_quantize(const tsr_qd8_kernel* kernel, size_t m, size_t k) {
  const size_t x_stride = k + 3, q_stride = k + 5;
  float* x = malloc(m * x_stride * sizeof(float));
  uint8_t* q = malloc(m * q_stride);
  uint8_t* q_ref = malloc(m * q_stride);
  tsr_qd8_params* p = malloc(m * sizeof *p);
  tsr_qd8_params* p_ref = malloc(m * sizeof *p_ref);
  for (size_t i = 0; i < m; i++) fill_row(x + i * x_stride, k, (int)(rnd() % ROW_KINDS));
  memset(q, 0xA5, m * q_stride);
  memset(q_ref, 0xA5, m * q_stride);
  kernel->quantize(m, k, x, x_stride, q, q_stride, p);
  tsr_f32_qd8_quantize_reference(m, k, x, x_stride, q_ref, q_stride, p_ref);
  int failed = 0;
  for (size_t i = 0; i < m && !failed; i++) {
    if (memcmp(&p[i], &p_ref[i], sizeof p[i]) != 0) {
      fprintf(stderr, "FAIL %s: m=%zu k=%zu row %zu params (zp %d, scale %a) expected (zp %d, scale %a)\n",
              kernel->quantize_name, m, k, i, p[i].zero_point, p[i].scale, p_ref[i].zero_point, p_ref[i].scale);
      failed = 1;
    }
    for (size_t j = 0; j < q_stride && !failed; j++) {
      if (q[i * q_stride + j] != q_ref[i * q_stride + j]) {
        fprintf(stderr, "FAIL %s: m=%zu k=%zu q[%zu][%zu] = %u, expected %u (x = %a)\n", kernel->quantize_name, m, k,
                i, j, q[i * q_stride + j], q_ref[i * q_stride + j], j < k ? x[i * x_stride + j] : 0.0f);
        failed = 1;
      }
    }
  }
  free(x), free(q), free(q_ref), free(p), free(p_ref);
  return failed;
}

/* mode 0: micro-kernel (m ≤ MR) or driver; 1: driver over sub-blocks; 2: unit scales, compare to exact acc. */
static int check_gemm(const tsr_qd8_kernel* kernel, size_t m, size_t n, size_t k, int mode) {
  const size_t a_stride = k + 1, c_stride = n + 3;
  uint8_t* a = malloc(m * a_stride);
  int8_t* w = malloc(n * k);
  float* ws = malloc(n * sizeof(float));
  float* bias = malloc(n * sizeof(float));
  float* c = malloc(m * c_stride * sizeof(float));
  float* c_ref = malloc(m * c_stride * sizeof(float));
  int32_t* acc = malloc(m * n * sizeof(int32_t));
  tsr_qd8_params* p = malloc(m * sizeof *p);
  void* packed = aligned_alloc(64, (tsr_qd8_f32_qc8w_packed_size(kernel, n, k) + 63) / 64 * 64);
  const int use_bias = mode != 2 && rnd() % 4 != 0;
  for (size_t i = 0; i < m * a_stride; i++) a[i] = (uint8_t)rnd();
  for (size_t i = 0; i < n * k; i++) w[i] = rnd_weight();
  for (size_t j = 0; j < n; j++) {
    ws[j] = mode == 2 ? 1.0f : (rnd_unit() + 1.5f) / 127.0f;
    bias[j] = rnd_unit() * 4.0f;
  }
  for (size_t i = 0; i < m; i++) {
    const int32_t extremes[] = {0, 255, 128};
    p[i].zero_point = rnd() % 4 == 0 ? extremes[rnd() % 3] : (int32_t)(rnd() % 256);
    p[i].scale = mode == 2 ? 1.0f : (rnd_unit() + 1.5f) / 255.0f;
    p[i].inv_scale = 1.0f / p[i].scale;
  }
  memset(c, 0x5A, m * c_stride * sizeof(float));
  memset(c_ref, 0x5A, m * c_stride * sizeof(float));
  kernel->pack(n, k, kernel->nr, kernel->kr, w, k, ws, use_bias ? bias : NULL, packed);
  if (mode == 1) {
    const size_t m_cut[] = {0, m / 3, m / 3 + 1 < m ? m / 3 + 1 : m, m};
    const size_t n_mid = (n / 2) / kernel->nr * kernel->nr;
    const size_t n_cut[] = {0, n_mid, n};
    for (size_t bi = 0; bi < 3; bi++) {
      for (size_t bj = 0; bj < 2; bj++) {
        tsr_qd8_f32_qc8w_gemm_run(kernel, m_cut[bi], m_cut[bi + 1], n_cut[bj], n_cut[bj + 1], k, a, a_stride, p,
                                  packed, c, c_stride);
      }
    }
  } else if (m <= kernel->mr) {
    kernel->ukernel(m, n, k, a, a_stride, p, packed, c, c_stride);
  } else {
    tsr_qd8_f32_qc8w_gemm_run(kernel, 0, m, 0, n, k, a, a_stride, p, packed, c, c_stride);
  }
  tsr_qd8_f32_qc8w_gemm_reference(m, n, k, a, a_stride, p, w, k, ws, use_bias ? bias : NULL, c_ref, c_stride);
  int failed = 0;
  if (mode == 2) {
    /* Unit scales, no bias, |acc| < 2^24 (k ≤ 64): the float output is the exact accumulator. */
    tsr_qd8_qc8w_gemm_reference_acc(m, n, k, a, a_stride, p, w, k, acc, n);
    for (size_t i = 0; i < m && !failed; i++) {
      for (size_t j = 0; j < n && !failed; j++) {
        if (c[i * c_stride + j] != (float)acc[i * n + j]) {
          fprintf(stderr, "FAIL %s (exact acc): m=%zu n=%zu k=%zu acc[%zu][%zu] = %.0f, expected %d\n", kernel->name,
                  m, n, k, i, j, c[i * c_stride + j], acc[i * n + j]);
          failed = 1;
        }
      }
    }
  }
  for (size_t i = 0; i < m && !failed; i++) {
    for (size_t j = 0; j < c_stride && !failed; j++) {
      const size_t at = i * c_stride + j;
      if (memcmp(&c[at], &c_ref[at], sizeof(float)) != 0) {
        fprintf(stderr, "FAIL %s (%s): m=%zu n=%zu k=%zu bias=%d: C[%zu][%zu] = %a, expected %a\n", kernel->name,
                mode == 1 ? "driver sub-blocks" : m <= kernel->mr ? "ukernel" : "driver", m, n, k, use_bias, i, j,
                c[at], c_ref[at]);
        failed = 1;
      }
    }
  }
  free(a), free(w), free(ws), free(bias), free(c), free(c_ref), free(acc), free(p), free(packed);
  return failed;
}

/* Float rows → the kernel's quantizer + GEMM vs reference quantizer + reference GEMM. */
static int check_end_to_end(const tsr_qd8_kernel* kernel, size_t m, size_t n, size_t k) {
  float* x = malloc(m * k * sizeof(float));
  uint8_t* q = malloc(m * k);
  int8_t* w = malloc(n * k);
  float* ws = malloc(n * sizeof(float));
  float* c = malloc(m * n * sizeof(float));
  float* c_ref = malloc(m * n * sizeof(float));
  tsr_qd8_params* p = malloc(m * sizeof *p);
  void* packed = aligned_alloc(64, (tsr_qd8_f32_qc8w_packed_size(kernel, n, k) + 63) / 64 * 64);
  for (size_t i = 0; i < m; i++) fill_row(x + i * k, k, (int)(i % ROW_KINDS));
  for (size_t i = 0; i < n * k; i++) w[i] = rnd_weight();
  for (size_t j = 0; j < n; j++) ws[j] = (rnd_unit() + 1.5f) / 127.0f;
  kernel->pack(n, k, kernel->nr, kernel->kr, w, k, ws, ws, packed);
  kernel->quantize(m, k, x, k, q, k, p);
  tsr_qd8_f32_qc8w_gemm_run(kernel, 0, m, 0, n, k, q, k, p, packed, c, n);
  tsr_f32_qd8_quantize_reference(m, k, x, k, q, k, p);
  tsr_qd8_f32_qc8w_gemm_reference(m, n, k, q, k, p, w, k, ws, ws, c_ref, n);
  const int failed = memcmp(c, c_ref, m * n * sizeof(float)) != 0;
  if (failed) fprintf(stderr, "FAIL %s (end to end): m=%zu n=%zu k=%zu\n", kernel->name, m, n, k);
  free(x), free(q), free(w), free(ws), free(c), free(c_ref), free(p), free(packed);
  return failed;
}

/* MARK: - Sweep */

static const size_t ms[] = {1, 2, 3, 4, 5, 7, 8, 12, 13, 15, 16, 17, 33, 64, 127};
static const size_t ns[] = {1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 384};
static const size_t ks[] = {1, 3, 4, 5, 7, 8, 15, 16, 31, 64, 65, 384, 1536};
#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

/* TESSERA_TEST_QUICK=1 (set by scripts/test-aarch64.sh under qemu, where every
 * instruction is emulated) caps the grid at m·n·k ≤ 2^18 instead of 2^21; the
 * edge sizes, tails and MiniLM shapes stay. */
static size_t max_grid_work(void) {
  const char* quick = getenv("TESSERA_TEST_QUICK");
  return (size_t)1 << (quick != NULL && quick[0] == '1' ? 18 : 21);
}

static int check_kernel(const tsr_qd8_kernel* kernel) {
  size_t cases = 0;
  int failures = 0;
  for (size_t mi = 0; mi < COUNT(ms); mi++) {
    for (size_t ki = 0; ki < COUNT(ks); ki++) {
      failures += check_quantize(kernel, ms[mi], ks[ki]);
      cases++;
    }
  }
  for (size_t mi = 0; mi < COUNT(ms) && failures < 5; mi++) {
    for (size_t ni = 0; ni < COUNT(ns); ni++) {
      for (size_t ki = 0; ki < COUNT(ks); ki++) {
        const size_t m = ms[mi], n = ns[ni], k = ks[ki];
        if (m * n * k > max_grid_work()) continue;
        failures += check_gemm(kernel, m, n, k, 0);
        cases++;
        if (k <= 64) failures += check_gemm(kernel, m, n, k, 2), cases++;
        if (m > 2 && n > kernel->nr) failures += check_gemm(kernel, m, n, k, 1), cases++;
      }
    }
  }
  /* MiniLM-shaped Linear layers (K, N ∈ {384, 1536}) and M tails. */
  const size_t minilm[][3] = {{1, 384, 384}, {3, 1536, 384}, {13, 384, 1536}, {37, 1536, 384}, {29, 384, 1536}};
  for (size_t i = 0; i < COUNT(minilm); i++) {
    failures += check_gemm(kernel, minilm[i][0], minilm[i][1], minilm[i][2], 0);
    failures += check_gemm(kernel, minilm[i][0], minilm[i][1], minilm[i][2], 1);
    failures += check_end_to_end(kernel, minilm[i][0], minilm[i][1], minilm[i][2]);
    cases += 3;
  }
  printf("%s %s + %s: %zu cases\n", failures ? "FAIL" : "ok  ", kernel->name, kernel->quantize_name, cases);
  return failures;
}

int main(void) {
  int failures = 0;
  size_t tested = 0;
  for (size_t i = 0; i < tsr_qd8_kernel_count(); i++) {
    const tsr_qd8_kernel* kernel = tsr_qd8_kernel_at(i);
    if (!tsr_isa_supported(kernel->isa)) {
      printf("SKIPPED: %s: this CPU does not support %s\n", kernel->name, tsr_isa_name(kernel->isa));
      continue;
    }
    failures += check_kernel(kernel) != 0;
    tested++;
  }
  for (int isa = 0; isa < TSR_ISA_COUNT; isa++) {
    int compiled = 0;
    for (size_t i = 0; i < tsr_qd8_kernel_count(); i++) compiled |= tsr_qd8_kernel_at(i)->isa == (tsr_isa)isa;
    if (!compiled) {
      printf("SKIPPED: %s: this build has no qd8 kernels for it on this architecture\n",
             tsr_isa_name((tsr_isa)isa));
    }
  }
  char err[160];
  if (tsr_qd8_select_kernel_for(NULL, err, sizeof err) == NULL) {
    fprintf(stderr, "FAIL dispatch: no qd8 kernel selected: %s\n", err);
    failures++;
  }
  if (tsr_qd8_select_kernel_for("sse9", err, sizeof err) != NULL || strstr(err, "TESSERA_ISA=sse9") == NULL) {
    fprintf(stderr, "FAIL dispatch: unknown ISA accepted or message lacks the name: '%s'\n", err);
    failures++;
  }
  printf("%zu qd8 kernels tested, %d failed\n", tested, failures);
  return failures ? 1 : 0;
}
