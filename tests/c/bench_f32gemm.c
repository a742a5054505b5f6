/*
 * bench_f32gemm — times the f32-gemm path (float GEMM over weights packed once,
 * bias added) against OpenBLAS sgemm on the same problem, one thread (a tool,
 * not a test).
 * Usage: bench_f32gemm [M N K [repeats]]   (default: M ∈ {16, 128, 1024} ×
 *        (K, N) ∈ {(384, 1536), (1536, 384), (384, 384)}, 31 repeats)
 * Prints, per shape, every supported SIMD f32-gemm kernel (tsr_f32_gemm_run over
 * the whole problem) and sgemm (y = x · W with W given [K][N] row-major, as a
 * MatMul constant; no bias). GFLOP/s = 2·M·N·K / median time; weights packed
 * outside the timed region. TSR_BENCH_CPU_TIME=1 times with thread CPU time
 * instead of wall time (a shared machine: descheduled time not counted).
 * Run with OPENBLAS_CORETYPE=SkylakeX to give OpenBLAS its AVX-512 kernels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tessera_kernels.h"
#if TSR_BENCH_OPENBLAS
#include <cblas.h>
#endif

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

typedef struct ctx {
  const tsr_f32_gemm_kernel* kernel;
  size_t m, n, k;
  const float* x;
  const void* packed;
  float* y;
  const float* w_kn;
} ctx;

static void run_f32gemm(ctx* c) {
  tsr_f32_gemm_run(c->kernel, 0, c->m, 0, c->n, c->k, c->x, c->k, c->packed, c->y, c->n);
}

#if TSR_BENCH_OPENBLAS
static void run_sgemm(ctx* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)c->m, (int)c->n, (int)c->k, 1.0f, c->x, (int)c->k,
              c->w_kn, (int)c->n, 0.0f, c->y, (int)c->n);
}
#endif

/* Candidates are timed round-robin (one call of each per round), so a noisy
 * neighbour on a shared machine slows all of them alike; median and max of the rounds. */
enum { MAX_CANDIDATES = 8 };

static void bench_shape(size_t m, size_t n, size_t k, int repeats) {
  printf("M=%zu N=%zu K=%zu\n", m, n, k);
  float* x = malloc(m * k * sizeof(float));
  float* w = malloc(n * k * sizeof(float));
  float* w_kn = malloc(n * k * sizeof(float));
  float* bias = malloc(n * sizeof(float));
  float* y = malloc(m * n * sizeof(float));
  for (size_t i = 0; i < m * k; i++) x[i] = (float)(rand() % 20001) / 10000.0f - 1.0f;
  for (size_t i = 0; i < n * k; i++) w[i] = (float)(rand() % 20001) / 20000.0f - 0.5f;
  for (size_t j = 0; j < n; j++) {
    bias[j] = (float)(rand() % 201) / 100.0f - 1.0f;
    for (size_t t = 0; t < k; t++) w_kn[t * n + j] = w[j * k + t];
  }
  char err[160];
  const tsr_f32_gemm_kernel* best = tsr_f32_gemm_select_kernel(err, sizeof err);
  ctx cs[MAX_CANDIDATES];
  void (*fns[MAX_CANDIDATES])(ctx*);
  char labels[MAX_CANDIDATES][96];
  int count = 0, best_index = -1, sgemm_index = -1;
  for (size_t i = 0; i < tsr_f32_gemm_kernel_count() && count < MAX_CANDIDATES - 1; i++) {
    const tsr_f32_gemm_kernel* kernel = tsr_f32_gemm_kernel_at(i);
    if (!tsr_f32_gemm_kernel_supported(kernel) || (kernel->cpu_features == 0 && kernel != best)) continue;
    void* packed = aligned_alloc(64, (tsr_f32_gemm_packed_size(kernel, n, k) + 63) / 64 * 64);
    kernel->pack(n, k, kernel->nr, w, k, bias, packed);
    cs[count] = (ctx){kernel, m, n, k, x, packed, y, w_kn};
    fns[count] = run_f32gemm;
    snprintf(labels[count], sizeof labels[count], "%s%s", kernel->name, kernel == best ? " *" : "");
    if (kernel == best) best_index = count;
    count++;
  }
#if TSR_BENCH_OPENBLAS
  cs[count] = (ctx){NULL, m, n, k, x, NULL, y, w_kn};
  fns[count] = run_sgemm;
  snprintf(labels[count], sizeof labels[count], "openblas sgemm (W [K][N])");
  sgemm_index = count++;
#endif
  double* g = malloc(sizeof(double) * (size_t)repeats * (size_t)count);
  for (int c = 0; c < count; c++) fns[c](&cs[c]);
  for (int r = 0; r < repeats; r++) {
    for (int c = 0; c < count; c++) {
      const double t = now();
      fns[c](&cs[c]);
      g[c * repeats + r] = 2.0 * (double)m * (double)n * (double)k / (now() - t) / 1e9;
    }
  }
  double median[MAX_CANDIDATES], max[MAX_CANDIDATES];
  for (int c = 0; c < count; c++) {
    double* gc = g + c * repeats;
    qsort(gc, (size_t)repeats, sizeof(double), cmp_double);
    median[c] = gc[repeats / 2];
    max[c] = gc[repeats - 1];
    printf("  %-44s %8.1f GFLOP/s (min %6.1f, max %6.1f)\n", labels[c], median[c], gc[0], max[c]);
  }
  if (best_index >= 0 && sgemm_index >= 0) {
    printf("  ratio (best f32-gemm) / sgemm: median %.2fx, max %.2fx\n", median[best_index] / median[sgemm_index],
           max[best_index] / max[sgemm_index]);
  }
  for (int c = 0; c < count; c++) free((void*)cs[c].packed);
  free(g), free(x), free(w), free(w_kn), free(bias), free(y);
}

int main(int argc, char** argv) {
  if (getenv("OMP_NUM_THREADS") == NULL || getenv("OPENBLAS_NUM_THREADS") == NULL) {
    setenv("OMP_NUM_THREADS", "1", 0);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    execv("/proc/self/exe", argv);
  }
  const int repeats = argc >= 5 ? atoi(argv[4]) : 31;
  if (getenv("TSR_BENCH_CPU_TIME") != NULL && atoi(getenv("TSR_BENCH_CPU_TIME")) != 0) {
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  }
#if TSR_BENCH_OPENBLAS
  openblas_set_num_threads(1);
#endif
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("CPU: %s; one thread, median of %d (%s time), OPENBLAS_CORETYPE=%s\n", brand, repeats,
         bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU",
         getenv("OPENBLAS_CORETYPE") != NULL ? getenv("OPENBLAS_CORETYPE") : "(auto)");
  if (argc >= 4) {
    bench_shape((size_t)atol(argv[1]), (size_t)atol(argv[2]), (size_t)atol(argv[3]), repeats);
    return 0;
  }
  const size_t ms[] = {16, 128, 1024};
  const size_t kn[][2] = {{384, 1536}, {1536, 384}, {384, 384}};
  for (size_t i = 0; i < 3; i++) {
    for (size_t j = 0; j < 3; j++) bench_shape(ms[i], kn[j][1], kn[j][0], repeats);
  }
  return 0;
}
