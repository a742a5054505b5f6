/*
 * bench_gemm — times Tessera's int8 GEMM against oneDNN dnnl_gemm_u8s8s32 and
 * OpenBLAS sgemm on the same shapes, one thread (a tool, not a test).
 * Usage: bench_gemm [M N K [repeats]]   (default 1024 1024 1024, 15 repeats)
 * Environment: TSR_PEAK_GOPS=<vpdpbusd zmm peak> replaces the measured AVX-512 VNNI
 * peak; TSR_BENCH_CPU_TIME=1 times with thread CPU time instead of wall time.
 *
 * Tessera: C[M][N] int8 = requant(A[M][K] int8 × W[N][K]ᵀ), weights packed once
 * (not timed), every kernel of every SIMD ISA the CPU runs (AVX-512 VNNI, AVX-VNNI,
 * AVX2) and the dispatch choice (*). oneDNN: row-major A u8, B = Wᵀ s8 given as
 * [N][K] with transb = 'T', int32 C, offsetc "F" with co = 0, ao = bo = 0 (its own
 * packing is inside the timed call). OpenBLAS: sgemm with B transposed.
 * Implementations are timed round-robin (one sample of each per round, a sample
 * being ≥ 5 ms of back-to-back calls), so a noisy neighbour slows all alike.
 * GOP/s = 2·M·N·K / median time; "% peak" divides by the measured instruction peak
 * of the kernel's own ISA (tessera_peak.h; oneDNN against the best int8 peak).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tessera_kernels.h"
#include "tessera_peak.h"
#if TSR_BENCH_DNNL
#include <dnnl.h>
#endif
#if TSR_BENCH_OPENBLAS
#include <cblas.h>
#endif

/* Wall time, or this thread's CPU time with TSR_BENCH_CPU_TIME=1 (for tuning on a
 * shared machine: time spent descheduled is not counted). */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now(void) {
  struct timespec t;
  clock_gettime(bench_clock, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void* x, const void* y) {
  const double a = *(const double*)x, b = *(const double*)y;
  return a < b ? -1 : a > b;
}

typedef struct shape { size_t m, n, k; } shape;

/* One implementation under test: a call, its context and the peak it is judged by. */
typedef void (*bench_fn)(void* ctx);
typedef struct bench_impl {
  char name[96];
  bench_fn fn;
  void* ctx;
  double peak;    /* GOP/s, 0 = no % column */
  size_t calls;   /* per sample */
  double* gops;   /* one per round */
} bench_impl;

#define MAX_IMPLS 16

/* Round-robin timing: calibrate each implementation's calls per sample (≥ 5 ms),
 * then `repeats` rounds of one sample each; prints median, min, max GOP/s. */
static void run_all(bench_impl* impls, size_t count, shape s, int repeats) {
  const double ops = 2.0 * (double)s.m * (double)s.n * (double)s.k;
  for (size_t i = 0; i < count; i++) {
    impls[i].gops = malloc(sizeof(double) * (size_t)repeats);
    impls[i].fn(impls[i].ctx); /* warm-up */
    size_t calls = 1;
    for (;;) {
      const double t0 = now();
      for (size_t c = 0; c < calls; c++) impls[i].fn(impls[i].ctx);
      const double dt = now() - t0;
      if (dt >= 0.005) break;
      calls = dt > 0 ? (size_t)((double)calls * 1.3 * 0.005 / dt) + 1 : calls * 2;
    }
    impls[i].calls = calls;
  }
  for (int r = 0; r < repeats; r++) {
    for (size_t i = 0; i < count; i++) {
      const double t0 = now();
      for (size_t c = 0; c < impls[i].calls; c++) impls[i].fn(impls[i].ctx);
      impls[i].gops[r] = ops * (double)impls[i].calls / (now() - t0) / 1e9;
    }
  }
  for (size_t i = 0; i < count; i++) {
    double* g = impls[i].gops;
    qsort(g, (size_t)repeats, sizeof(double), cmp_double);
    printf("%-64s %8.1f GOP/s (min %6.1f, max %6.1f)", impls[i].name, g[repeats / 2], g[0], g[repeats - 1]);
    if (impls[i].peak > 0) printf("  %5.1f%% of %.0f GOP/s peak", 100.0 * g[repeats / 2] / impls[i].peak, impls[i].peak);
    printf("\n");
    free(g);
  }
}

/* The measured instruction peak bounding a kernel ISA (0 when none is measured). */
static double isa_peak(tsr_isa isa, const double* peaks) {
  switch (isa) {
    case TSR_ISA_AVX512VNNI: return peaks[TSR_PEAK_INT8_AVX512VNNI];
    case TSR_ISA_AVXVNNI: return peaks[TSR_PEAK_INT8_AVXVNNI];
    case TSR_ISA_AVX2: return peaks[TSR_PEAK_INT8_AVX2];
    default: return 0.0;
  }
}

/* MARK: - Tessera */

typedef struct tsr_ctx {
  const tsr_qs8_kernel* kernel;
  shape s;
  const int8_t* a;
  const void* packed;
  int8_t* c;
  const float* scale;
  tsr_qs8_minmax_params params;
} tsr_ctx;

static void run_tessera(void* p) {
  tsr_ctx* x = p;
  tsr_qs8_qc8w_gemm_run(x->kernel, 0, x->s.m, 0, x->s.n, x->s.k, x->a, x->s.k, x->packed, x->c, x->s.n, x->scale,
                        &x->params);
}

/* MARK: - oneDNN and OpenBLAS */

#if TSR_BENCH_DNNL
typedef struct dnnl_ctx { shape s; const uint8_t* a; const int8_t* b; int32_t* c; } dnnl_ctx;
static void run_dnnl(void* p) {
  dnnl_ctx* x = p;
  const int32_t co = 0;
  dnnl_gemm_u8s8s32('N', 'T', 'F', (dnnl_dim_t)x->s.m, (dnnl_dim_t)x->s.n, (dnnl_dim_t)x->s.k, 1.0f, x->a,
                    (dnnl_dim_t)x->s.k, 0, x->b, (dnnl_dim_t)x->s.k, 0, 0.0f, x->c, (dnnl_dim_t)x->s.n, &co);
}
#endif

#if TSR_BENCH_OPENBLAS
typedef struct blas_ctx { shape s; const float* a; const float* b; float* c; } blas_ctx;
static void run_sgemm(void* p) {
  blas_ctx* x = p;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)x->s.m, (int)x->s.n, (int)x->s.k, 1.0f, x->a,
              (int)x->s.k, x->b, (int)x->s.k, 0.0f, x->c, (int)x->s.n);
}
#endif

/* Peaks are measured here; TSR_PEAK_GOPS overrides the AVX-512 VNNI one. */
int main(int argc, char** argv) {
  /* OpenMP and OpenBLAS read their thread counts when they are loaded, before
   * main: pin them to one thread and start again. */
  if (getenv("OMP_NUM_THREADS") == NULL || getenv("OPENBLAS_NUM_THREADS") == NULL) {
    setenv("OMP_NUM_THREADS", "1", 0);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    execv("/proc/self/exe", argv);
  }
  shape s = {1024, 1024, 1024};
  if (argc >= 4) s = (shape){(size_t)atol(argv[1]), (size_t)atol(argv[2]), (size_t)atol(argv[3])};
  const int repeats = argc >= 5 ? atoi(argv[4]) : 15;
  if (getenv("TSR_BENCH_CPU_TIME") != NULL && atoi(getenv("TSR_BENCH_CPU_TIME")) != 0) {
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  }
  double peaks[TSR_PEAK_COUNT] = {0};
  for (int kind = 0; kind < TSR_PEAK_COUNT; kind++) {
    if (tsr_peak_supported((tsr_peak_kind)kind)) peaks[kind] = tsr_peak_gops((tsr_peak_kind)kind, 0.3);
  }
  if (getenv("TSR_PEAK_GOPS") != NULL) peaks[TSR_PEAK_INT8_AVX512VNNI] = atof(getenv("TSR_PEAK_GOPS"));
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("CPU: %s; M=%zu N=%zu K=%zu, one thread, median of %d rounds (%s time)\n", brand, s.m, s.n, s.k, repeats,
         bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");
  printf("peaks (GOP/s, best 10 ms slice of 0.3 s): int8-avx512vnni %.1f, int8-avxvnni %.1f, int8-avx2 %.1f\n",
         peaks[TSR_PEAK_INT8_AVX512VNNI], peaks[TSR_PEAK_INT8_AVXVNNI], peaks[TSR_PEAK_INT8_AVX2]);
  double best_peak = 0.0;
  for (int kind = 0; kind < TSR_PEAK_COUNT; kind++) {
    if (kind != TSR_PEAK_SCALAR && kind != TSR_PEAK_FP32_AVX2 && kind != TSR_PEAK_FP32_AVX512 && peaks[kind] > best_peak) {
      best_peak = peaks[kind];
    }
  }

  int8_t* a = malloc(s.m * s.k);
  int8_t* w = malloc(s.n * s.k);
  int8_t* c = malloc(s.m * s.n);
  float* scale = malloc(s.n * sizeof(float));
  for (size_t i = 0; i < s.m * s.k; i++) a[i] = (int8_t)(rand() & 0xFF);
  for (size_t i = 0; i < s.n * s.k; i++) w[i] = (int8_t)(rand() & 0xFF);
  for (size_t j = 0; j < s.n; j++) scale[j] = 1e-4f;

  char err[160];
  const tsr_qs8_kernel* best = tsr_qs8_select_kernel(TSR_OP_GEMM, err, sizeof err);
  if (best == NULL) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  bench_impl impls[MAX_IMPLS];
  tsr_ctx ctxs[MAX_IMPLS];
  void* packs[MAX_IMPLS];
  size_t count = 0, packed_count = 0;
  for (size_t i = 0; i < tsr_qs8_kernel_count() && count < MAX_IMPLS - 2; i++) {
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_at(i);
    if (kernel->op != TSR_OP_GEMM || !tsr_isa_supported(kernel->isa)) continue;
    if (kernel->isa == TSR_ISA_SCALAR && kernel != best) continue;
    void* packed = aligned_alloc(64, tsr_qs8_qc8w_packed_size(kernel, s.n, s.k));
    kernel->pack(s.n, s.k, kernel->nr, kernel->kr, w, s.k, NULL, 0, packed);
    packs[packed_count++] = packed;
    ctxs[count] = (tsr_ctx){kernel, s, a, packed, c, scale, {0, -128, 127}};
    impls[count] = (bench_impl){.fn = run_tessera, .ctx = &ctxs[count], .peak = isa_peak(kernel->isa, peaks)};
    snprintf(impls[count].name, sizeof impls[count].name, "%s%s", kernel->name, kernel == best ? " *" : "");
    count++;
  }
#if TSR_BENCH_DNNL
  uint8_t* au = malloc(s.m * s.k);
  for (size_t i = 0; i < s.m * s.k; i++) au[i] = (uint8_t)a[i] ^ 0x80;
  int32_t* ci = malloc(s.m * s.n * sizeof(int32_t));
  dnnl_ctx dx = {s, au, w, ci};
  impls[count] = (bench_impl){.fn = run_dnnl, .ctx = &dx, .peak = best_peak};
  snprintf(impls[count].name, sizeof impls[count].name, "onednn dnnl_gemm_u8s8s32 (int32 out)");
  count++;
#endif
#if TSR_BENCH_OPENBLAS
  openblas_set_num_threads(1);
  float* af = malloc(s.m * s.k * sizeof(float));
  float* bf = malloc(s.n * s.k * sizeof(float));
  float* cf = malloc(s.m * s.n * sizeof(float));
  for (size_t i = 0; i < s.m * s.k; i++) af[i] = a[i];
  for (size_t i = 0; i < s.n * s.k; i++) bf[i] = w[i];
  blas_ctx bx = {s, af, bf, cf};
  impls[count] = (bench_impl){.fn = run_sgemm, .ctx = &bx, .peak = 0};
  snprintf(impls[count].name, sizeof impls[count].name, "openblas sgemm (fp32)");
  count++;
#endif
  run_all(impls, count, s, repeats);
#if TSR_BENCH_DNNL
  free(au), free(ci);
#endif
#if TSR_BENCH_OPENBLAS
  free(af), free(bf), free(cf);
#endif
  for (size_t i = 0; i < packed_count; i++) free(packs[i]);
  free(a), free(w), free(c), free(scale);
  return 0;
}
