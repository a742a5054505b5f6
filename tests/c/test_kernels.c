/*
 * test_kernels.c — the C kernel checker run by ctest. For every enumerated
 * kernel the CPU supports: a shape sweep of the micro-kernel against the
 * scalar reference (int8 outputs must be identical), then the blocking driver
 * on sub-blocks. Unsupported kernels are printed as skipped with the reason.
 * Exit status: 0 when every check passed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera_kernels.h"

/* MARK: - Random data */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Mostly uniform int8, with the extremes −128 and 127 over-represented. */
static int8_t rnd_int8(void) {
  const uint32_t r = rnd() % 8;
  if (r == 0) return -128;
  if (r == 1) return 127;
  return (int8_t)(rnd() & 0xFF);
}

/* Log-uniform in [1e-4, 1], plus exact powers of two that make rounding ties. */
static float rnd_scale(void) {
  switch (rnd() % 6) {
    case 0: return 0.5f;
    case 1: return 0.25f;
    default: {
      const float u = (float)(rnd() % 100000) / 100000.0f;
      float s = 1e-4f;
      for (int i = 0; i < (int)(u * 40.0f); i++) s *= 1.2589254f; /* 10^(1/10) */
      return s;
    }
  }
}

static int32_t pick(const int32_t* options, size_t count) { return options[rnd() % count]; }

static size_t next_prime(size_t x) {
  for (;; x++) {
    int prime = x >= 2;
    for (size_t d = 2; d * d <= x; d++) if (x % d == 0) { prime = 0; break; }
    if (prime) return x;
  }
}

/* MARK: - One case */

typedef struct problem {
  size_t m, n, k, a_stride, c_stride;
  int8_t *a, *w, *c, *c_ref;
  int32_t* bias;
  float* scale;
  void* packed;
  int32_t a_zero_point;
  tsr_qs8_minmax_params params;
} problem;

static void problem_init_strided(problem* p, const tsr_qs8_kernel* kernel, size_t m, size_t n, size_t k,
                                 size_t a_stride) {
  static const int32_t zero_points[] = {-128, 127, 0, -3, 55};
  memset(p, 0, sizeof *p);
  p->m = m, p->n = n, p->k = k;
  p->a_stride = a_stride;
  p->c_stride = next_prime(n + 2);
  p->a = malloc(m * p->a_stride);
  p->w = malloc(n * k + 1);
  p->c = malloc(m * p->c_stride);
  p->c_ref = malloc(m * p->c_stride);
  p->bias = malloc(n * sizeof(int32_t));
  p->scale = malloc(n * sizeof(float));
  p->packed = aligned_alloc(64, tsr_qs8_qc8w_packed_size(kernel, n, k));
  for (size_t i = 0; i < m * p->a_stride; i++) p->a[i] = rnd_int8();
  for (size_t i = 0; i < n * k; i++) p->w[i] = rnd_int8();
  for (size_t j = 0; j < n; j++) {
    p->bias[j] = (int32_t)(rnd() % 200001) - 100000;
    p->scale[j] = rnd_scale();
  }
  p->a_zero_point = pick(zero_points, 5);
  p->params.output_zero_point = pick(zero_points, 5);
  switch (rnd() % 3) {
    case 0: p->params.output_min = -128, p->params.output_max = 127; break;
    case 1: /* fused ReLU: min at the zero point */
      p->params.output_min = (int8_t)p->params.output_zero_point, p->params.output_max = 127; break;
    default: p->params.output_min = -100, p->params.output_max = 90; break;
  }
  memset(p->c, 0x5A, m * p->c_stride);
  memset(p->c_ref, 0x5A, m * p->c_stride);
}

/* A's row stride padded to a prime, so rows start at every alignment. */
static void problem_init(problem* p, const tsr_qs8_kernel* kernel, size_t m, size_t n, size_t k) {
  problem_init_strided(p, kernel, m, n, k, next_prime(k + 1));
}

static void problem_free(problem* p) {
  free(p->a), free(p->w), free(p->c), free(p->c_ref), free(p->bias), free(p->scale), free(p->packed);
}

/* Compares every byte of the output rows, padding included (must stay 0x5A). */
static int problem_check(const problem* p, const tsr_qs8_kernel* kernel, const char* what, int used_bias) {
  tsr_qs8_qc8w_gemm_reference(p->m, p->n, p->k, p->a, p->a_stride, p->a_zero_point, p->w, p->k,
                              used_bias ? p->bias : NULL, p->c_ref, p->c_stride, p->scale, &p->params);
  for (size_t i = 0; i < p->m; i++) {
    for (size_t j = 0; j < p->c_stride; j++) {
      const size_t at = i * p->c_stride + j;
      if (p->c[at] != p->c_ref[at]) {
        fprintf(stderr, "FAIL %s (%s): m=%zu n=%zu k=%zu a_zp=%d c_zp=%d [%d,%d]: C[%zu][%zu] = %d, expected %d\n",
                kernel->name, what, p->m, p->n, p->k, p->a_zero_point, p->params.output_zero_point,
                p->params.output_min, p->params.output_max, i, j, p->c[at], p->c_ref[at]);
        return 1;
      }
    }
  }
  return 0;
}

/* One micro-kernel call (m ≤ MR) or one driver call over the whole output; bias NULL 1 time in 4. */
static int run_case(const tsr_qs8_kernel* kernel, size_t m, size_t n, size_t k, int through_driver) {
  problem p;
  problem_init(&p, kernel, m, n, k);
  const int use_bias = rnd() % 4 != 0;
  kernel->pack(n, k, kernel->nr, kernel->kr, p.w, k, use_bias ? p.bias : NULL, p.a_zero_point, p.packed);
  if (through_driver) {
    tsr_qs8_qc8w_gemm_run(kernel, 0, m, 0, n, k, p.a, p.a_stride, p.packed, p.c, p.c_stride, p.scale, &p.params);
  } else {
    kernel->ukernel(m, n, k, p.a, p.a_stride, p.packed, p.c, p.c_stride, p.scale, &p.params);
  }
  const int failed = problem_check(&p, kernel, through_driver ? "driver" : "ukernel", use_bias);
  problem_free(&p);
  return failed;
}

/* The driver with A rows 4 KiB apart (its copy-to-unaliased-buffer path). */
static int run_aliased(const tsr_qs8_kernel* kernel, size_t m, size_t n, size_t k) {
  problem p;
  problem_init_strided(&p, kernel, m, n, k, 4096);
  kernel->pack(n, k, kernel->nr, kernel->kr, p.w, k, p.bias, p.a_zero_point, p.packed);
  tsr_qs8_qc8w_gemm_run(kernel, 0, m, 0, n, k, p.a, p.a_stride, p.packed, p.c, p.c_stride, p.scale, &p.params);
  const int failed = problem_check(&p, kernel, "driver, 4 KiB A stride", 1);
  problem_free(&p);
  return failed;
}

/* The driver over a grid of disjoint sub-blocks (n boundaries on NR multiples). */
static int run_blocks(const tsr_qs8_kernel* kernel, size_t m, size_t n, size_t k) {
  problem p;
  problem_init(&p, kernel, m, n, k);
  kernel->pack(n, k, kernel->nr, kernel->kr, p.w, k, p.bias, p.a_zero_point, p.packed);
  const size_t m_cut[] = {0, m / 3, m / 3 + 1, m};
  const size_t n_mid = (n / 2) / kernel->nr * kernel->nr;
  const size_t n_cut[] = {0, n_mid, n};
  for (size_t bi = 0; bi < 3; bi++) {
    for (size_t bj = 0; bj < 2; bj++) {
      tsr_qs8_qc8w_gemm_run(kernel, m_cut[bi], m_cut[bi + 1], n_cut[bj], n_cut[bj + 1], k, p.a, p.a_stride,
                            p.packed, p.c, p.c_stride, p.scale, &p.params);
    }
  }
  const int failed = problem_check(&p, kernel, "driver sub-blocks", 1);
  problem_free(&p);
  return failed;
}

/* MARK: - Sweep */

static int check_kernel(const tsr_qs8_kernel* kernel) {
  const size_t kr = kernel->kr;
  const size_t ks[] = {1, kr > 1 ? kr - 1 : 2, kr, kr + 1, 2 * kr, 7, 13, 31, 67, 8 * kr + 3, 130};
  size_t cases = 0;
  int failures = 0;
  for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
    for (size_t m = 1; m <= kernel->mr + 1; m++) {
      for (size_t n = 1; n <= 2 * kernel->nr + 1; n++) {
        failures += run_case(kernel, m, n, ks[ki], m > kernel->mr);
        cases++;
        if (failures > 5) goto done;
      }
    }
  }
  /* Larger problems through the driver: several tiles, chunks and K beyond L1. */
  const size_t big[][3] = {{37, 3 * kernel->nr + 5, 300}, {2 * kernel->mr + 3, 129, 1031}, {5, 1000, 600}};
  for (size_t i = 0; i < 3; i++) {
    failures += run_case(kernel, big[i][0], big[i][1], big[i][2], 1);
    failures += run_blocks(kernel, big[i][0], big[i][1], big[i][2]);
    cases += 2;
  }
  failures += run_aliased(kernel, 2 * kernel->mr + 1, 2 * kernel->nr + 3, 300);
  cases++;
done:
  printf("%s %s: %zu cases\n", failures ? "FAIL" : "ok  ", kernel->name, cases);
  return failures;
}

int main(void) {
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("CPU: %s\n", brand);
  int failures = 0;
  size_t tested = 0;
  for (size_t i = 0; i < tsr_qs8_kernel_count(); i++) {
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_at(i);
    if (!tsr_isa_supported(kernel->isa)) {
      printf("SKIPPED: %s: this CPU does not support %s\n", kernel->name, tsr_isa_name(kernel->isa));
      continue;
    }
    failures += check_kernel(kernel) != 0;
    tested++;
  }
  for (int isa = 0; isa < TSR_ISA_COUNT; isa++) {
    if (!tsr_isa_compiled((tsr_isa)isa)) {
      printf("SKIPPED: %s: this build has no qs8-qc8w kernels for it on this architecture\n",
             tsr_isa_name((tsr_isa)isa));
    }
  }
  /* Dispatch: the automatic choice exists, and nonsense is refused with a message. */
  char err[160];
  if (tsr_qs8_select_kernel_for(TSR_OP_GEMM, NULL, err, sizeof err) == NULL) {
    fprintf(stderr, "FAIL dispatch: no kernel selected: %s\n", err);
    failures++;
  }
  if (tsr_qs8_select_kernel_for(TSR_OP_GEMM, "sse9", err, sizeof err) != NULL || strstr(err, "sse9") == NULL) {
    fprintf(stderr, "FAIL dispatch: unknown ISA accepted or message lacks the name: '%s'\n", err);
    failures++;
  }
  /* TESSERA_ISA=avxvnni forces the AVX-VNNI kernels (GEMM and GEMV) where the CPU has them. */
  if (tsr_isa_supported(TSR_ISA_AVXVNNI)) {
    for (int op = TSR_OP_GEMM; op <= TSR_OP_GEMV; op++) {
      const tsr_qs8_kernel* k = tsr_qs8_select_kernel_for((tsr_op)op, "avxvnni", err, sizeof err);
      if (k == NULL || k->isa != TSR_ISA_AVXVNNI || (int)k->op != op) {
        fprintf(stderr, "FAIL dispatch: TESSERA_ISA=avxvnni did not give an AVX-VNNI %s kernel: '%s'\n",
                op == TSR_OP_GEMM ? "GEMM" : "GEMV", err);
        failures++;
      }
    }
  } else {
    printf("SKIPPED: TESSERA_ISA=avxvnni dispatch check: this CPU does not support avxvnni\n");
  }
  printf("%zu kernels tested, %d failed\n", tested, failures);
  return failures ? 1 : 0;
}
