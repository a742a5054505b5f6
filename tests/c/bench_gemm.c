/*
 * bench_gemm — times Tessera's int8 GEMM against oneDNN dnnl_gemm_u8s8s32 and
 * OpenBLAS sgemm on the same shapes, one thread (a tool, not a test).
 * Usage: bench_gemm [M N K [repeats]]   (default 1024 1024 1024, 15 repeats)
 * Environment: TSR_PEAK_GOPS=<vpdpbusd peak> adds a % of peak column;
 * TSR_BENCH_CPU_TIME=1 times with thread CPU time instead of wall time.
 *
 * Tessera: C[M][N] int8 = requant(A[M][K] int8 × W[N][K]ᵀ), weights packed once
 * (not timed), every kernel of the best ISA and the dispatch choice. oneDNN:
 * row-major A u8, B = Wᵀ s8 given as [N][K] with transb = 'T', int32 C, offsetc
 * "F" with co = 0, ao = bo = 0 (its own packing is inside the timed call).
 * OpenBLAS: sgemm with B transposed. GOP/s = 2·M·N·K / median time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tessera_kernels.h"
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

/* Median, min and max GOP/s of `repeats` timed calls (after one warm-up). */
typedef void (*bench_fn)(void* ctx);
static void report(const char* name, bench_fn fn, void* ctx, shape s, int repeats, double peak) {
  double* g = malloc(sizeof(double) * (size_t)repeats);
  fn(ctx);
  for (int r = 0; r < repeats; r++) {
    const double t = now();
    fn(ctx);
    g[r] = 2.0 * (double)s.m * (double)s.n * (double)s.k / (now() - t) / 1e9;
  }
  qsort(g, (size_t)repeats, sizeof(double), cmp_double);
  printf("%-64s %8.1f GOP/s (min %6.1f, max %6.1f)", name, g[repeats / 2], g[0], g[repeats - 1]);
  if (peak > 0) printf("  %5.1f%% of vpdpbusd peak", 100.0 * g[repeats / 2] / peak);
  printf("\n");
  free(g);
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

/* The vpdpbusd zmm peak is measured by the peak tool; pass it in with TSR_PEAK_GOPS. */
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
  const double peak = getenv("TSR_PEAK_GOPS") ? atof(getenv("TSR_PEAK_GOPS")) : 0.0;
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("CPU: %s; M=%zu N=%zu K=%zu, one thread, median of %d (%s time)\n", brand, s.m, s.n, s.k, repeats,
         bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");

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
  for (size_t i = 0; i < tsr_qs8_kernel_count(); i++) {
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_at(i);
    if (kernel->op != TSR_OP_GEMM || !tsr_isa_supported(kernel->isa)) continue;
    if (kernel->isa != best->isa && kernel->isa != TSR_ISA_AVX2) continue;
    void* packed = aligned_alloc(64, tsr_qs8_qc8w_packed_size(kernel, s.n, s.k));
    kernel->pack(s.n, s.k, kernel->nr, kernel->kr, w, s.k, NULL, 0, packed);
    tsr_ctx x = {kernel, s, a, packed, c, scale, {0, -128, 127}};
    char label[128];
    snprintf(label, sizeof label, "%s%s", kernel->name, kernel == best ? " *" : "");
    report(label, run_tessera, &x, s, repeats, kernel->isa == TSR_ISA_AVX512VNNI ? peak : 0);
    free(packed);
  }
#if TSR_BENCH_DNNL
  {
    uint8_t* au = malloc(s.m * s.k);
    for (size_t i = 0; i < s.m * s.k; i++) au[i] = (uint8_t)a[i] ^ 0x80;
    int32_t* ci = malloc(s.m * s.n * sizeof(int32_t));
    dnnl_ctx x = {s, au, w, ci};
    report("onednn dnnl_gemm_u8s8s32 (int32 out)", run_dnnl, &x, s, repeats, peak);
    free(au), free(ci);
  }
#endif
#if TSR_BENCH_OPENBLAS
  {
    openblas_set_num_threads(1);
    float* af = malloc(s.m * s.k * sizeof(float));
    float* bf = malloc(s.n * s.k * sizeof(float));
    float* cf = malloc(s.m * s.n * sizeof(float));
    for (size_t i = 0; i < s.m * s.k; i++) af[i] = a[i];
    for (size_t i = 0; i < s.n * s.k; i++) bf[i] = w[i];
    blas_ctx x = {s, af, bf, cf};
    report("openblas sgemm (fp32)", run_sgemm, &x, s, repeats, 0);
    free(af), free(bf), free(cf);
  }
#endif
  free(a), free(w), free(c), free(scale);
  return 0;
}
