/*
 * bench_qd8 — times the qd8-f32-qc8w path (row quantization + int8 GEMM with
 * float output) against OpenBLAS sgemm on the same float problem, one thread
 * (a tool, not a test).
 * Usage: bench_qd8 [M N K [repeats]]   (default 128 1536 384, 31 repeats)
 * Prints, for every supported qd8 kernel: GEMM alone (activations already
 * quantized) and quantize + GEMM (what DynamicQuantizedLinear.apply does), and
 * sgemm (y = x · Wᵀ, W given [N][K] with transb). GOP/s = 2·M·N·K / median time;
 * weights packed outside the timed region. TSR_BENCH_CPU_TIME=1 times with thread
 * CPU time instead of wall time (a shared machine: descheduled time not counted).
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
  const tsr_qd8_kernel* kernel;
  size_t m, n, k;
  const float* x;
  uint8_t* q;
  tsr_qd8_params* params;
  const void* packed;
  float* y;
  const float* w;
  int quantize;
} ctx;

static void run_qd8(ctx* c) {
  if (c->quantize) c->kernel->quantize(c->m, c->k, c->x, c->k, c->q, c->k, c->params);
  tsr_qd8_f32_qc8w_gemm_run(c->kernel, 0, c->m, 0, c->n, c->k, c->q, c->k, c->params, c->packed, c->y, c->n);
}

#if TSR_BENCH_OPENBLAS
static void run_sgemm(ctx* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)c->m, (int)c->n, (int)c->k, 1.0f, c->x, (int)c->k, c->w,
              (int)c->k, 0.0f, c->y, (int)c->n);
}
#endif

static double report(const char* name, void (*fn)(ctx*), ctx* c, int repeats) {
  double* g = malloc(sizeof(double) * (size_t)repeats);
  fn(c);
  for (int r = 0; r < repeats; r++) {
    const double t = now();
    fn(c);
    g[r] = 2.0 * (double)c->m * (double)c->n * (double)c->k / (now() - t) / 1e9;
  }
  qsort(g, (size_t)repeats, sizeof(double), cmp_double);
  const double median = g[repeats / 2];
  printf("%-72s %8.1f GOP/s (min %6.1f, max %6.1f)\n", name, median, g[0], g[repeats - 1]);
  free(g);
  return median;
}

int main(int argc, char** argv) {
  if (getenv("OMP_NUM_THREADS") == NULL || getenv("OPENBLAS_NUM_THREADS") == NULL) {
    setenv("OMP_NUM_THREADS", "1", 0);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    execv("/proc/self/exe", argv);
  }
  size_t m = 128, n = 1536, k = 384;
  if (argc >= 4) m = (size_t)atol(argv[1]), n = (size_t)atol(argv[2]), k = (size_t)atol(argv[3]);
  const int repeats = argc >= 5 ? atoi(argv[4]) : 31;
  if (getenv("TSR_BENCH_CPU_TIME") != NULL && atoi(getenv("TSR_BENCH_CPU_TIME")) != 0) {
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  }
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("CPU: %s; M=%zu N=%zu K=%zu, one thread, median of %d (%s time)\n", brand, m, n, k, repeats,
         bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");
  float* x = malloc(m * k * sizeof(float));
  float* wf = malloc(n * k * sizeof(float));
  int8_t* w = malloc(n * k);
  float* ws = malloc(n * sizeof(float));
  float* y = malloc(m * n * sizeof(float));
  uint8_t* q = malloc(m * k);
  tsr_qd8_params* params = malloc(m * sizeof *params);
  for (size_t i = 0; i < m * k; i++) x[i] = (float)(rand() % 20001) / 10000.0f - 1.0f;
  for (size_t i = 0; i < n * k; i++) w[i] = (int8_t)(rand() % 255 - 127), wf[i] = (float)w[i] / 127.0f;
  for (size_t j = 0; j < n; j++) ws[j] = 1.0f / 127.0f;
  char err[160];
  const tsr_qd8_kernel* best = tsr_qd8_select_kernel(err, sizeof err);
  double best_gops = 0;
  for (size_t i = 0; i < tsr_qd8_kernel_count(); i++) {
    const tsr_qd8_kernel* kernel = tsr_qd8_kernel_at(i);
    if (!tsr_isa_supported(kernel->isa) || kernel->isa == TSR_ISA_SCALAR) continue;
    void* packed = aligned_alloc(64, (tsr_qd8_f32_qc8w_packed_size(kernel, n, k) + 63) / 64 * 64);
    kernel->pack(n, k, kernel->nr, kernel->kr, w, k, ws, NULL, packed);
    ctx c = {kernel, m, n, k, x, q, params, packed, y, wf, 0};
    kernel->quantize(m, k, x, k, q, k, params);
    char label[160];
    snprintf(label, sizeof label, "%s (GEMM only)%s", kernel->name, kernel == best ? " *" : "");
    report(label, run_qd8, &c, repeats);
    c.quantize = 1;
    snprintf(label, sizeof label, "%s + quantize%s", kernel->name, kernel == best ? " *" : "");
    const double g = report(label, run_qd8, &c, repeats);
    if (kernel == best) best_gops = g;
    free(packed);
  }
#if TSR_BENCH_OPENBLAS
  openblas_set_num_threads(1);
  ctx c = {NULL, m, n, k, x, NULL, NULL, NULL, y, wf, 0};
  const double s = report("openblas sgemm (fp32)", run_sgemm, &c, repeats);
  if (best_gops > 0) printf("ratio (best qd8 quantize + GEMM) / sgemm: %.2fx\n", best_gops / s);
#else
  (void)best_gops;
#endif
  free(x), free(wf), free(w), free(ws), free(y), free(q), free(params);
  return 0;
}
