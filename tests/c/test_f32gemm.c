/*
 * test_f32gemm.c — the C checker of the f32-gemm family (float GEMM with weights
 * packed once), run by ctest. For every enumerated kernel the CPU supports: its
 * micro-kernel and the blocking driver (whole problem and sub-blocks) against
 *  (1) a double-precision reference, within the documented bound
 *      |y − y_exact| ≤ 1e-5 · sqrt(max(K, 1)) · (|b| + Σ_k |x·w|), and
 *  (2) tsr_f32_gemm_reference (every current kernel evaluates its fmaf chain,
 *      so the floats are equal bit for bit),
 * with row strides larger than the rows and the padding around the output
 * untouched, on a grid of M × N × K (K = 0 included: y = bias) plus the MiniLM
 * shapes. Unsupported kernels are printed as skipped. Exit 0 when all passed.
 */
#include <math.h>
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

/* MARK: - Checks */

static const float sentinel = -12345.0f;

/* mode 0: micro-kernel (m ≤ MR) or driver; 1: driver over sub-blocks. */
static int check_gemm(const tsr_f32_gemm_kernel* kernel, size_t m, size_t n, size_t k, int mode) {
  const size_t a_stride = k + 3, w_stride = k + 1, c_stride = n + 5;
  float* a = malloc((m * a_stride + 1) * sizeof(float));
  float* w = malloc((n * w_stride + 1) * sizeof(float));
  float* bias = malloc(n * sizeof(float));
  float* c = malloc(m * c_stride * sizeof(float));
  float* c_ref = malloc(m * c_stride * sizeof(float));
  void* packed = aligned_alloc(64, (tsr_f32_gemm_packed_size(kernel, n, k) + 63) / 64 * 64 + 64);
  const int use_bias = rnd() % 4 != 0;
  /* Padding of A and W is NaN: read, it would poison the result. */
  for (size_t i = 0; i < m * a_stride + 1; i++) a[i] = i % a_stride < k ? rnd_unit() * 2.0f : NAN;
  for (size_t i = 0; i < n * w_stride + 1; i++) w[i] = i % w_stride < k ? rnd_unit() : NAN;
  for (size_t j = 0; j < n; j++) bias[j] = rnd_unit() * 4.0f;
  for (size_t i = 0; i < m * c_stride; i++) c[i] = sentinel, c_ref[i] = sentinel;
  kernel->pack(n, k, kernel->nr, w, w_stride, use_bias ? bias : NULL, packed);
  if (mode == 1) {
    const size_t m_cut[] = {0, m / 3, m / 3 + 1 < m ? m / 3 + 1 : m, m};
    const size_t n_mid = (n / 2) / kernel->nr * kernel->nr;
    const size_t n_cut[] = {0, n_mid, n};
    for (size_t bi = 0; bi < 3; bi++) {
      for (size_t bj = 0; bj < 2; bj++) {
        tsr_f32_gemm_run(kernel, m_cut[bi], m_cut[bi + 1], n_cut[bj], n_cut[bj + 1], k, a, a_stride, packed, c,
                         c_stride);
      }
    }
  } else if (m <= kernel->mr) {
    kernel->ukernel(m, n, k, a, a_stride, packed, c, c_stride);
  } else {
    tsr_f32_gemm_run(kernel, 0, m, 0, n, k, a, a_stride, packed, c, c_stride);
  }
  tsr_f32_gemm_reference(m, n, k, a, a_stride, w, w_stride, use_bias ? bias : NULL, c_ref, c_stride);
  const char* what = mode == 1 ? "driver sub-blocks" : m <= kernel->mr ? "ukernel" : "driver";
  int failed = 0;
  const double bound = 1e-5 * sqrt(k > 1 ? (double)k : 1.0);
  for (size_t i = 0; i < m && !failed; i++) {
    for (size_t j = 0; j < c_stride && !failed; j++) {
      const size_t at = i * c_stride + j;
      if (j >= n) {
        if (memcmp(&c[at], &sentinel, sizeof(float)) != 0) {
          fprintf(stderr, "FAIL %s (%s): m=%zu n=%zu k=%zu: padding C[%zu][%zu] written\n", kernel->name, what, m, n,
                  k, i, j);
          failed = 1;
        }
        continue;
      }
      double exact = use_bias ? bias[j] : 0.0, mag = use_bias ? fabs(bias[j]) : 0.0;
      for (size_t t = 0; t < k; t++) {
        const double p = (double)a[i * a_stride + t] * (double)w[j * w_stride + t];
        exact += p;
        mag += fabs(p);
      }
      const double err = fabs((double)c[at] - exact);
      if (!(err <= bound * mag)) {
        fprintf(stderr, "FAIL %s (%s): m=%zu n=%zu k=%zu bias=%d: C[%zu][%zu] = %.9g, exact %.9g (error %.3g > %.3g)\n",
                kernel->name, what, m, n, k, use_bias, i, j, c[at], exact, err, bound * mag);
        failed = 1;
      } else if (memcmp(&c[at], &c_ref[at], sizeof(float)) != 0) {
        fprintf(stderr, "FAIL %s (%s): m=%zu n=%zu k=%zu: C[%zu][%zu] = %a, reference %a (not the fmaf chain)\n",
                kernel->name, what, m, n, k, i, j, c[at], c_ref[at]);
        failed = 1;
      }
    }
  }
  free(a), free(w), free(bias), free(c), free(c_ref), free(packed);
  return failed;
}

/* MARK: - Sweep */

static const size_t ms[] = {1, 2, 3, 5, 7, 8, 9, 12, 13, 16, 17, 31, 64, 128};
static const size_t ns[] = {1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 384};
static const size_t ks[] = {0, 1, 3, 8, 15, 16, 17, 64, 384, 1536};
#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

/* TESSERA_TEST_QUICK=1 (set by scripts/test-aarch64.sh under qemu, where every
 * instruction is emulated) caps the grid at m·n·k ≤ 2^18 instead of 2^21; the
 * edge sizes, tails and MiniLM shapes stay. */
static size_t max_grid_work(void) {
  const char* quick = getenv("TESSERA_TEST_QUICK");
  return (size_t)1 << (quick != NULL && quick[0] == '1' ? 18 : 21);
}

static int check_kernel(const tsr_f32_gemm_kernel* kernel) {
  size_t cases = 0;
  int failures = 0;
  char expected[96];
  snprintf(expected, sizeof expected, "tsr_f32_gemm_ukernel_%ux%u__%s", kernel->mr, kernel->nr, kernel->isa_name);
  if (strcmp(expected, kernel->name) != 0) {
    fprintf(stderr, "FAIL %s: the enumerator says %s\n", kernel->name, expected);
    failures++;
  }
  for (size_t mi = 0; mi < COUNT(ms) && failures < 5; mi++) {
    for (size_t ni = 0; ni < COUNT(ns); ni++) {
      for (size_t ki = 0; ki < COUNT(ks); ki++) {
        const size_t m = ms[mi], n = ns[ni], k = ks[ki];
        if (m * n * k > max_grid_work()) continue;
        failures += check_gemm(kernel, m, n, k, 0);
        cases++;
        if (m > 2 && n > kernel->nr) failures += check_gemm(kernel, m, n, k, 1), cases++;
      }
    }
  }
  /* MiniLM-shaped Linear layers (K, N ∈ {384, 1536}) and M tails. */
  const size_t minilm[][3] = {{1, 384, 384}, {3, 1536, 384}, {13, 384, 1536}, {37, 1536, 384}, {29, 384, 1536}};
  for (size_t i = 0; i < COUNT(minilm); i++) {
    failures += check_gemm(kernel, minilm[i][0], minilm[i][1], minilm[i][2], 0);
    failures += check_gemm(kernel, minilm[i][0], minilm[i][1], minilm[i][2], 1);
    cases += 2;
  }
  printf("%s %s: %zu cases\n", failures ? "FAIL" : "ok  ", kernel->name, cases);
  return failures;
}

int main(void) {
  int failures = 0;
  size_t tested = 0;
  for (size_t i = 0; i < tsr_f32_gemm_kernel_count(); i++) {
    const tsr_f32_gemm_kernel* kernel = tsr_f32_gemm_kernel_at(i);
    if (!tsr_f32_gemm_kernel_supported(kernel)) {
      printf("SKIPPED: %s: this CPU does not support %s\n", kernel->name, kernel->isa_name);
      continue;
    }
    failures += check_kernel(kernel) != 0;
    tested++;
  }
  char err[160];
  const tsr_f32_gemm_kernel* best = tsr_f32_gemm_select_kernel_for(NULL, err, sizeof err);
  if (best == NULL) {
    fprintf(stderr, "FAIL dispatch: no f32-gemm kernel selected: %s\n", err);
    failures++;
  }
  if (tsr_f32_gemm_select_kernel_for("sse9", err, sizeof err) != NULL || strstr(err, "TESSERA_ISA=sse9") == NULL) {
    fprintf(stderr, "FAIL dispatch: unknown ISA accepted or message lacks the name: '%s'\n", err);
    failures++;
  }
  const tsr_f32_gemm_kernel* scalar = tsr_f32_gemm_select_kernel_for("scalar", err, sizeof err);
  if (scalar == NULL || strcmp(scalar->isa_name, "scalar") != 0) {
    fprintf(stderr, "FAIL dispatch: TESSERA_ISA=scalar did not select a scalar kernel\n");
    failures++;
  }
  const struct { const char* word; const char* variant; } words[] = {
      {"avx512vnni", "avx512f"}, {"avx512f", "avx512f"}, {"avxvnni", "avx2"}, {"avx2", "avx2"},
      {"neondot", "scalar"}, {"neoni8mm", "scalar"}};
  for (size_t i = 0; i < COUNT(words); i++) {
    const tsr_f32_gemm_kernel* k = tsr_f32_gemm_select_kernel_for(words[i].word, err, sizeof err);
    if (k != NULL && strcmp(k->isa_name, words[i].variant) != 0) {
      fprintf(stderr, "FAIL dispatch: TESSERA_ISA=%s selected %s\n", words[i].word, k->name);
      failures++;
    } else if (k == NULL) {
      printf("SKIPPED: TESSERA_ISA=%s: %s\n", words[i].word, err);
    }
  }
  printf("%zu f32-gemm kernels tested (selected: %s), %d failed\n", tested, best != NULL ? best->name : "none", failures);
  return failures ? 1 : 0;
}
