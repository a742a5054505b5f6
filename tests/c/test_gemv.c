/*
 * test_gemv.c — every enumerated GEMV kernel (op TSR_OP_GEMV) that the CPU
 * supports against tsr_qs8_qc8w_gemm_reference, bit for bit.
 *
 * Sweep per kernel: n = 1 … 2·NR + 1 and large primes, k = 1 … 3·KR + 1, primes
 * and 4096, with random, extreme (−128/127) and mixed data, several activation
 * and output zero points, clamps and scales. A, scales and packed weights end
 * right before an inaccessible page, so any over-read faults, and the output
 * has canary bytes after column n. Kernels for ISAs the CPU lacks are reported
 * as SKIPPED. Exit status 1 on the first mismatch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tessera_kernels.h"

/* MARK: - Guarded buffers */

typedef struct guarded {
  uint8_t* base;
  size_t total;
  void* data; /* ends exactly at the start of the PROT_NONE page */
} guarded;

static guarded guarded_alloc(size_t bytes) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  const size_t body = (bytes + page - 1) / page * page;
  guarded g;
  g.total = body + page;
  g.base = mmap(NULL, g.total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (g.base == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  if (mprotect(g.base + body, page, PROT_NONE) != 0) {
    perror("mprotect");
    exit(1);
  }
  g.data = g.base + body - bytes;
  return g;
}

static void guarded_free(guarded g) { munmap(g.base, g.total); }

/* MARK: - Data */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

static int8_t rand_i8(void) { return (int8_t)(rng() & 0xFF); }

/* Data patterns: 0 random, 1 all extreme (A = −128, W = −128: largest positive
 * products), 2 alternating extremes (A = 127, W = −128 …), 3 random extremes. */
static int8_t pattern_value(int pattern, size_t index, int is_weight) {
  switch (pattern) {
    case 1: return -128;
    case 2: return is_weight ? (index % 3 == 0 ? 127 : -128) : (index % 2 ? -128 : 127);
    case 3: return (rng() & 1) ? 127 : -128;
    default: return rand_i8();
  }
}

typedef struct config {
  int32_t a_zero_point;
  tsr_qs8_minmax_params params;
} config;

static const config configs[] = {
    {0, {0, -128, 127}},
    {-128, {-128, -128, 127}},
    {127, {127, -128, 127}},
    {-7, {5, 5, 127}},   /* fused ReLU: min at the output zero point */
    {33, {-20, -50, 60}}, /* narrow clamp */
};

/* MARK: - One case */

static size_t cases_run = 0;

static int check_case(const tsr_qs8_kernel* kernel, size_t n, size_t k, int pattern,
                      const config* cfg, int through_run) {
  guarded ga = guarded_alloc(k);
  guarded gs = guarded_alloc(n * sizeof(float));
  const size_t packed_bytes = tsr_qs8_qc8w_packed_size(kernel, n, k);
  guarded gp = guarded_alloc(packed_bytes);
  int8_t* a = ga.data;
  float* scale = gs.data;
  int8_t* w = malloc(n * k);
  int32_t* bias = malloc(n * sizeof(int32_t));
  int8_t* expected = malloc(n);
  int8_t* actual = malloc(n + 64);
  if (w == NULL || bias == NULL || expected == NULL || actual == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < k; i++) a[i] = pattern_value(pattern, i, 0);
  for (size_t i = 0; i < n * k; i++) w[i] = pattern_value(pattern, i, 1);
  /* Scales put |acc| ~ 128·128·k onto the int8 range and beyond, so both the
   * rounding and the clamp are exercised; one column in 7 gets a tiny scale. */
  const float base = 1.0f / (64.0f * (float)k + 1.0f);
  for (size_t j = 0; j < n; j++) {
    scale[j] = (j % 7 == 3) ? 1e-9f : base * (0.25f + (float)(rng() % 1000) / 250.0f);
    const int32_t big = (int32_t)(rng() % 2000001u) - 1000000;
    bias[j] = (j % 5 == 0) ? big * 100 : big % 5000;
  }
  const int32_t* bias_arg = (pattern == 2) ? NULL : bias;
  kernel->pack(n, k, kernel->nr, kernel->kr, w, k, bias_arg, cfg->a_zero_point, gp.data);
  tsr_qs8_qc8w_gemm_reference(1, n, k, a, k, cfg->a_zero_point, w, k, bias_arg, expected, n,
                              scale, &cfg->params);
  memset(actual, 0x5A, n + 64);
  if (through_run) {
    tsr_qs8_qc8w_gemm_run(kernel, 0, 1, 0, n, k, a, k, gp.data, actual, n, scale, &cfg->params);
  } else {
    kernel->ukernel(1, n, k, a, k, gp.data, actual, n, scale, &cfg->params);
  }
  int failed = 0;
  for (size_t j = 0; j < n + 64 && !failed; j++) {
    const int8_t want = j < n ? expected[j] : (int8_t)0x5A;
    if (actual[j] != want) {
      fprintf(stderr,
              "FAIL %s%s: n=%zu k=%zu pattern=%d a_zp=%d out_zp=%d [%d,%d]: column %zu got %d "
              "want %d%s\n",
              kernel->name, through_run ? " (via tsr_qs8_qc8w_gemm_run)" : "", n, k, pattern,
              (int)cfg->a_zero_point, (int)cfg->params.output_zero_point,
              (int)cfg->params.output_min, (int)cfg->params.output_max, j, actual[j], want,
              j >= n ? " (wrote past n)" : "");
      failed = 1;
    }
  }
  cases_run++;
  free(w);
  free(bias);
  free(expected);
  free(actual);
  guarded_free(ga);
  guarded_free(gs);
  guarded_free(gp);
  return failed;
}

/* MARK: - Sweep */

static int check_kernel(const tsr_qs8_kernel* kernel) {
  const size_t nr = kernel->nr, kr = kernel->kr;
  const size_t ncfg = sizeof(configs) / sizeof(configs[0]);
  size_t ks[64], nks = 0;
  for (size_t k = 1; k <= 3 * kr + 1; k++) ks[nks++] = k;
  const size_t extra_k[] = {2 * kr + 1, 8 * kr - 1, 13, 31, 61, 127, 257, 1021, 4096};
  for (size_t i = 0; i < sizeof(extra_k) / sizeof(extra_k[0]); i++) ks[nks++] = extra_k[i];
  const size_t big_n[] = {251, 509, 1021};
  size_t c = 0;
  /* n = 1 … 2·NR + 1 over every k, rotating data patterns and configurations. */
  for (size_t n = 1; n <= 2 * nr + 1; n++) {
    for (size_t i = 0; i < nks; i++, c++) {
      if (ks[i] > 300 && n % 8 != 1) continue; /* long K: every 8th n keeps it quick */
      if (check_case(kernel, n, ks[i], (int)(c % 4), &configs[c % ncfg], 0)) return 1;
    }
  }
  /* Large prime n, every pattern and configuration, direct and through the runner. */
  for (size_t i = 0; i < sizeof(big_n) / sizeof(big_n[0]); i++) {
    for (int pattern = 0; pattern < 4; pattern++) {
      for (size_t j = 0; j < ncfg; j++) {
        const size_t k = ks[(i * 7 + j * 3 + (size_t)pattern) % nks];
        if (check_case(kernel, big_n[i], k, pattern, &configs[j], 0)) return 1;
      }
    }
    if (check_case(kernel, big_n[i], 4096, 0, &configs[i % ncfg], 0)) return 1;
    if (check_case(kernel, big_n[i], 1021, 3, &configs[(i + 1) % ncfg], 1)) return 1;
  }
  /* Every extreme pattern × configuration at a K with a tail and a long K. */
  for (int pattern = 1; pattern < 4; pattern++) {
    for (size_t j = 0; j < ncfg; j++) {
      if (check_case(kernel, 2 * nr + 1, 4 * kr + 3, pattern, &configs[j], 0)) return 1;
      if (check_case(kernel, nr + 3, 4096, pattern, &configs[j], 1)) return 1;
    }
  }
  return 0;
}

int main(void) {
  size_t tested = 0, skipped = 0;
  for (size_t i = 0; i < tsr_qs8_kernel_count(); i++) {
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_at(i);
    if (kernel->op != TSR_OP_GEMV) continue;
    if (kernel->mr != 1) {
      fprintf(stderr, "FAIL %s: GEMV kernels need mr == 1, not %u\n", kernel->name, kernel->mr);
      return 1;
    }
    if (!tsr_isa_supported(kernel->isa)) {
      printf("SKIPPED: %s: this CPU lacks %s\n", kernel->name, tsr_isa_name(kernel->isa));
      skipped++;
      continue;
    }
    const size_t before = cases_run;
    if (check_kernel(kernel)) return 1;
    printf("ok   %s: %zu cases\n", kernel->name, cases_run - before);
    tested++;
  }
  /* ISAs without a GEMV kernel run batch 1 on their GEMM kernel (tsr_qs8_kernel_for_isa):
   * the same sweep, guarded buffers included, on that kernel at mr = 1. */
  for (int isa = 0; isa < TSR_ISA_COUNT; isa++) {
    if (!tsr_isa_compiled((tsr_isa)isa)) {
      printf("SKIPPED: %s: this build has no qs8-qc8w kernels for it on this architecture\n",
             tsr_isa_name((tsr_isa)isa));
      continue;
    }
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_for_isa(TSR_OP_GEMV, (tsr_isa)isa);
    if (kernel == NULL || kernel->op == TSR_OP_GEMV) continue;
    const size_t before = cases_run;
    if (check_kernel(kernel)) return 1;
    printf("ok   %s (batch-1 fallback of %s): %zu cases\n", kernel->name, tsr_isa_name((tsr_isa)isa),
           cases_run - before);
    tested++;
  }
  printf("%zu GEMV kernels tested, %zu skipped\n", tested, skipped);
  if (tested == 0) {
    fprintf(stderr, "FAIL: no GEMV kernel was tested\n");
    return 1;
  }
  return 0;
}
