/*
 * bench_gemv — batch-1 int8 GEMV, one thread: every Tessera GEMV kernel the CPU
 * supports vs XNNPACK's qs8 fully-connected operator vs OpenBLAS cblas_sgemv,
 * plus the measured instruction peaks (tessera_peak.h). A tool, not a test.
 *
 * Usage: bench_gemv [rounds] [sample_seconds]   (defaults 21, 0.02)
 * Environment: TSR_BENCH_GEMV_SHAPES=4096x4096,2048x2048 (N×K list) replaces the shapes;
 * TSR_BENCH_CPU_TIME=1 times with thread CPU time instead of wall time (for a shared machine).
 * TSR_BENCH_GEMV_ONLY=selected,tessera,xnnpack,openblas (any subset; default all) times only
 * those: `selected` = the kernel dispatch picks, `tessera` = every Tessera GEMV kernel. One
 * implementation per process keeps the others' weights out of the caches it streams from.
 * Build: CMake target bench_gemv; XNNPACK and OpenBLAS are used when found
 * (TSR_BENCH_XNNPACK, TSR_BENCH_OPENBLAS), e.g. by hand:
 *   cc -O2 -DTSR_BENCH_XNNPACK=1 -DTSR_BENCH_OPENBLAS=1 -ISources/CTesseraKernels/include \
 *      $(pkg-config --cflags openblas) tests/c/bench_gemv.c <libtessera_kernels> \
 *      -lXNNPACK -lpthreadpool $(pkg-config --libs openblas) -lm
 * Shapes 1×N×K: 1×4096×4096, 1×2048×2048, 1×1024×1024, 1×256×784. Implementations are timed
 * round-robin (one sample of each per round, each sample ≥ sample_seconds of
 * back-to-back calls), so noise from other processes hits all of them alike;
 * GOP/s (2·N·K / time) is the median over rounds, with min and max. "% i8pk" is
 * the share of the best int8 peak of the CPU; "% isa" the share of the peak of the
 * kernel's own ISA (int8-avx512vnni, int8-avxvnni, int8-avx2).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if TSR_BENCH_OPENBLAS
#include <cblas.h>
#endif
#if TSR_BENCH_XNNPACK
#include <xnnpack.h>
#endif

#include "tessera_kernels.h"
#include "tessera_peak.h"

#define MAX_IMPLS 12
#define MAX_ROUNDS 201

typedef struct impl {
  char name[96];
  int isa;          /* tsr_isa for Tessera kernels, -1 otherwise */
  double weight_bytes;
  void (*run)(void* ctx);
  void* ctx;
  size_t calls; /* per sample */
  double gops[MAX_ROUNDS];
} impl;

typedef struct shape_data {
  size_t n, k;
  int8_t* a;
  int8_t* w;
  int32_t* bias;
  float* scale;
  float* fa;
  float* fw;
  float* fy;
  tsr_qs8_minmax_params params;
  int32_t a_zero_point;
  float input_scale, kernel_scale, output_scale;
} shape_data;

typedef struct tessera_ctx {
  const shape_data* s;
  const tsr_qs8_kernel* kernel;
  void* packed;
  int8_t* c;
} tessera_ctx;

#if TSR_BENCH_XNNPACK
typedef struct xnn_ctx {
  xnn_operator_t op;
  int8_t* c;
} xnn_ctx;
#endif

static clockid_t bench_clock = CLOCK_MONOTONIC;

/* Which implementations TSR_BENCH_GEMV_ONLY keeps (all by default). */
enum { ONLY_SELECTED = 1, ONLY_TESSERA = 2, ONLY_XNNPACK = 4, ONLY_OPENBLAS = 8, ONLY_ALL = 15 };
static int only_mask = ONLY_ALL;

/* Parses a comma-separated TSR_BENCH_GEMV_ONLY; returns 0 and prints the names on a bad one. */
static int parse_only(const char* list) {
  static const struct { const char* name; int bit; } names[] = {
      {"selected", ONLY_SELECTED}, {"tessera", ONLY_TESSERA}, {"xnnpack", ONLY_XNNPACK},
      {"openblas", ONLY_OPENBLAS}};
  int mask = 0;
  for (const char* q = list; ; ) {
    const char* end = strchr(q, ',');
    const size_t len = end ? (size_t)(end - q) : strlen(q);
    int bit = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
      if (strlen(names[i].name) == len && strncmp(q, names[i].name, len) == 0) bit = names[i].bit;
    }
    if (bit == 0) {
      fprintf(stderr, "TSR_BENCH_GEMV_ONLY: '%.*s' is not one of selected, tessera, xnnpack, openblas\n",
              (int)len, q);
      return 0;
    }
    mask |= bit;
    if (end == NULL) break;
    q = end + 1;
  }
  return mask;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(bench_clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void* xalloc(size_t bytes) {
  void* p = aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (p == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

static void run_tessera(void* ctx) {
  tessera_ctx* t = ctx;
  const shape_data* s = t->s;
  t->kernel->ukernel(1, s->n, s->k, s->a, s->k, t->packed, t->c, s->n, s->scale, &s->params);
}

#if TSR_BENCH_XNNPACK
static void run_xnnpack(void* ctx) {
  xnn_ctx* x = ctx;
  if (xnn_run_operator(x->op, NULL) != xnn_status_success) {
    fprintf(stderr, "xnn_run_operator failed\n");
    exit(1);
  }
}

#endif

#if TSR_BENCH_OPENBLAS
static void run_openblas(void* ctx) {
  shape_data* s = ctx;
  cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)s->n, (int)s->k, 1.0f, s->fw, (int)s->k, s->fa, 1,
              0.0f, s->fy, 1);
}
#endif

static int compare_double(const void* x, const void* y) {
  const double a = *(const double*)x, b = *(const double*)y;
  return (a > b) - (a < b);
}

static void make_shape(shape_data* s, size_t n, size_t k) {
  s->n = n;
  s->k = k;
  s->a = xalloc(k);
  s->w = xalloc(n * k);
  s->bias = xalloc(n * sizeof(int32_t));
  s->scale = xalloc(n * sizeof(float));
  s->fa = xalloc(k * sizeof(float));
  s->fw = xalloc(n * k * sizeof(float));
  s->fy = xalloc(n * sizeof(float));
  srand(12345);
  for (size_t i = 0; i < k; i++) s->a[i] = (int8_t)(rand() & 0xFF);
  for (size_t i = 0; i < n * k; i++) s->w[i] = (int8_t)(rand() & 0xFF);
  for (size_t i = 0; i < n; i++) s->bias[i] = rand() % 20001 - 10000;
  for (size_t i = 0; i < k; i++) s->fa[i] = (float)s->a[i];
  for (size_t i = 0; i < n * k; i++) s->fw[i] = (float)s->w[i];
  s->a_zero_point = 3;
  s->input_scale = 0.02f;
  s->kernel_scale = 0.01f;
  /* |acc| ~ sqrt(K)·74² for uniform int8 data; map ±2σ onto ±127. */
  const double sigma = 5476.0 * __builtin_sqrt((double)k);
  s->output_scale = (float)((double)s->input_scale * s->kernel_scale * 2.0 * sigma / 127.0);
  const float requant = s->input_scale * s->kernel_scale / s->output_scale; /* as XNNPACK */
  for (size_t i = 0; i < n; i++) s->scale[i] = requant;
  s->params.output_zero_point = -5;
  s->params.output_min = -128;
  s->params.output_max = 127;
}

static void free_shape(shape_data* s) {
  free(s->a), free(s->w), free(s->bias), free(s->scale), free(s->fa), free(s->fw), free(s->fy);
}

/* The measured instruction peak bounding a kernel ISA (0 when none is measured; the
 * scalar kernels get none: the compiler vectorizes their loops, so the scalar
 * int32 peak does not bound them). */
static double isa_peak(int isa, const double* peaks) {
  switch (isa) {
    case TSR_ISA_AVX512VNNI: return peaks[TSR_PEAK_INT8_AVX512VNNI];
    case TSR_ISA_AVXVNNI: return peaks[TSR_PEAK_INT8_AVXVNNI];
    case TSR_ISA_AVX2: return peaks[TSR_PEAK_INT8_AVX2];
    default: return 0.0;
  }
}

static void bench_shape(size_t n, size_t k, int rounds, double sample_seconds, double int8_peak,
                        const double* peaks) {
  shape_data s;
  make_shape(&s, n, k);
  impl impls[MAX_IMPLS];
  tessera_ctx tctx[MAX_IMPLS];
  size_t count = 0;
  memset(impls, 0, sizeof(impls));

  /* Tessera GEMV kernels the CPU supports. */
  const tsr_qs8_kernel* best = tsr_qs8_select_kernel(TSR_OP_GEMV, NULL, 0);
  for (size_t i = 0; i < tsr_qs8_kernel_count() && count < MAX_IMPLS - 2; i++) {
    const tsr_qs8_kernel* kernel = tsr_qs8_kernel_at(i);
    if (kernel->op != TSR_OP_GEMV || !tsr_isa_supported(kernel->isa)) continue;
    if (!(only_mask & ONLY_TESSERA) && !((only_mask & ONLY_SELECTED) && kernel == best)) continue;
    tessera_ctx* t = &tctx[count];
    t->s = &s;
    t->kernel = kernel;
    t->packed = xalloc(tsr_qs8_qc8w_packed_size(kernel, n, k));
    t->c = xalloc(n);
    kernel->pack(n, k, kernel->nr, kernel->kr, s.w, k, s.bias, s.a_zero_point, t->packed);
    const char* spec = strstr(kernel->name, "ukernel_");
    snprintf(impls[count].name, sizeof(impls[count].name), "tessera %s%s",
             spec ? spec + 8 : kernel->name, kernel == best ? " (selected)" : "");
    impls[count].isa = (int)kernel->isa;
    impls[count].weight_bytes = (double)(n * k);
    impls[count].run = run_tessera;
    impls[count].ctx = t;
    count++;
  }
  const size_t tessera_count = count;

  size_t xnn_index = SIZE_MAX, blas_index = SIZE_MAX;
#if TSR_BENCH_XNNPACK
  /* XNNPACK qs8 fully connected (per-tensor scales; Tessera gets the same requant scale). */
  const int with_xnn = (only_mask & ONLY_XNNPACK) != 0;
  xnn_ctx xctx = {NULL, xalloc(n)};
  if (with_xnn && (xnn_create_fully_connected_nc_qs8(k, n, k, n, (int8_t)s.a_zero_point, s.input_scale,
                                        s.kernel_scale, s.w, s.bias,
                                        (int8_t)s.params.output_zero_point, s.output_scale,
                                        s.params.output_min, s.params.output_max, 0,
                                        &xctx.op) != xnn_status_success ||
      xnn_setup_fully_connected_nc_qs8(xctx.op, 1, s.a, xctx.c, NULL) != xnn_status_success)) {
    fprintf(stderr, "XNNPACK fully-connected setup failed\n");
    exit(1);
  }
  if (with_xnn) {
    xnn_index = count;
    impls[count] = (impl){.isa = -1, .weight_bytes = (double)(n * k), .run = run_xnnpack, .ctx = &xctx};
    snprintf(impls[count].name, sizeof(impls[count].name), "xnnpack qs8 fully_connected");
    count++;
  }
#endif
#if TSR_BENCH_OPENBLAS
  if (only_mask & ONLY_OPENBLAS) {
    blas_index = count;
    impls[count] = (impl){.isa = -1, .weight_bytes = 4.0 * (double)(n * k), .run = run_openblas, .ctx = &s};
    snprintf(impls[count].name, sizeof(impls[count].name), "openblas cblas_sgemv (fp32)");
    count++;
  }
#endif

#if TSR_BENCH_XNNPACK
  /* Same operation, same answer: compare each Tessera kernel with XNNPACK. */
  if (with_xnn) run_xnnpack(&xctx);
  for (size_t i = 0; with_xnn && i < tessera_count; i++) {
    run_tessera(&tctx[i]);
    size_t equal = 0;
    for (size_t j = 0; j < n; j++) equal += tctx[i].c[j] == xctx.c[j];
    if (equal != n) {
      printf("  note: %s differs from XNNPACK in %zu of %zu outputs\n", impls[i].name, n - equal, n);
    }
  }
#endif

  /* Calibrate calls per sample, then time round-robin. */
  for (size_t i = 0; i < count; i++) {
    impls[i].run(impls[i].ctx); /* warm caches */
    size_t calls = 1;
    for (;;) {
      const double t0 = now();
      for (size_t c = 0; c < calls; c++) impls[i].run(impls[i].ctx);
      const double dt = now() - t0;
      if (dt >= sample_seconds) break;
      calls = dt > 0 ? (size_t)((double)calls * 1.3 * sample_seconds / dt) + 1 : calls * 2;
    }
    impls[i].calls = calls;
  }
  const double ops = 2.0 * (double)n * (double)k;
  for (int r = 0; r < rounds; r++) {
    for (size_t i = 0; i < count; i++) {
      const double t0 = now();
      for (size_t c = 0; c < impls[i].calls; c++) impls[i].run(impls[i].ctx);
      const double dt = now() - t0;
      impls[i].gops[r] = ops * (double)impls[i].calls / dt * 1e-9;
    }
  }

  printf("\n1x%zux%zu (M=1, N=%zu, K=%zu), one thread, median of %d rounds\n", n, k, n, k, rounds);
  printf("%-52s %8s %8s %8s %7s %8s %8s %8s %8s\n", "implementation", "GOP/s", "min", "max", "GB/s",
         "vs xnn", "vs blas", "% i8pk", "% isa");
  double medians[MAX_IMPLS];
  for (size_t i = 0; i < count; i++) {
    qsort(impls[i].gops, (size_t)rounds, sizeof(double), compare_double);
    medians[i] = impls[i].gops[rounds / 2];
  }
  for (size_t i = 0; i < count; i++) {
    const double seconds = ops / (medians[i] * 1e9);
    const double own_peak = impls[i].isa >= 0 ? isa_peak(impls[i].isa, peaks) : 0.0;
    printf("%-52s %8.2f %8.2f %8.2f %7.1f %8.2f %8.2f %8.1f %8.1f\n", impls[i].name, medians[i],
           impls[i].gops[0], impls[i].gops[rounds - 1], impls[i].weight_bytes / seconds * 1e-9,
           xnn_index < count ? medians[i] / medians[xnn_index] : 0.0,
           blas_index < count ? medians[i] / medians[blas_index] : 0.0,
           int8_peak > 0 ? 100.0 * medians[i] / int8_peak : 0.0,
           own_peak > 0 ? 100.0 * medians[i] / own_peak : 0.0);
  }

  for (size_t i = 0; i < tessera_count; i++) free(tctx[i].packed), free(tctx[i].c);
#if TSR_BENCH_XNNPACK
  if (xctx.op != NULL) xnn_delete_operator(xctx.op);
  free(xctx.c);
#endif
  free_shape(&s);
}

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 21;
  const double sample_seconds = argc > 2 ? atof(argv[2]) : 0.02;
  if (rounds < 1) rounds = 1;
  if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;
  if (getenv("TSR_BENCH_CPU_TIME") != NULL && atoi(getenv("TSR_BENCH_CPU_TIME")) != 0) {
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  }
  const char* only = getenv("TSR_BENCH_GEMV_ONLY");
  if (only != NULL && only[0] != '\0' && (only_mask = parse_only(only)) == 0) return 2;
  char brand[128];
  tsr_cpu_brand(brand, sizeof(brand));
  printf("cpu: %s (%s time)\n", brand, bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");
#if TSR_BENCH_OPENBLAS
  openblas_set_num_threads(1);
  printf("openblas: %s (1 thread)\n", openblas_get_config());
#else
  printf("openblas: not built in (0.00 in 'vs blas')\n");
#endif
#if TSR_BENCH_XNNPACK
  if (xnn_initialize(NULL) != xnn_status_success) {
    fprintf(stderr, "xnn_initialize failed\n");
    return 1;
  }
  printf("xnnpack: qs8 fully_connected, NULL thread pool (1 thread)\n");
#else
  printf("xnnpack: not built in (0.00 in 'vs xnn')\n");
#endif

  printf("\nmeasured single-thread peaks (tessera_peak.h, best 10 ms slice of 0.3 s)\n");
  double peaks[TSR_PEAK_COUNT] = {0};
  for (int kind = 0; kind < TSR_PEAK_COUNT; kind++) {
    if (!tsr_peak_supported((tsr_peak_kind)kind)) {
      printf("  %-18s unsupported\n", tsr_peak_name((tsr_peak_kind)kind));
      continue;
    }
    peaks[kind] = tsr_peak_gops((tsr_peak_kind)kind, 0.3);
    printf("  %-18s %8.1f GOP/s\n", tsr_peak_name((tsr_peak_kind)kind), peaks[kind]);
  }
  const double int8_peak = peaks[TSR_PEAK_INT8_AVX512VNNI] > 0 ? peaks[TSR_PEAK_INT8_AVX512VNNI]
                                                                : peaks[TSR_PEAK_INT8_AVX2];
  printf("  (%% i8pk below = share of the best int8 peak, %.1f GOP/s)\n", int8_peak);

  /* TSR_BENCH_GEMV_SHAPES=NxK,NxK,… replaces the default list. */
  const char* list = getenv("TSR_BENCH_GEMV_SHAPES");
  if (list != NULL && list[0] != '\0') {
    for (const char* q = list; *q != '\0';) {
      char* end = NULL;
      const long n = strtol(q, &end, 10);
      if (end == q || *end != 'x') break;
      const char* kq = end + 1;
      const long k = strtol(kq, &end, 10);
      if (end == kq || n <= 0 || k <= 0) break;
      bench_shape((size_t)n, (size_t)k, rounds, sample_seconds, int8_peak, peaks);
      q = *end == ',' ? end + 1 : end;
    }
  } else {
    bench_shape(4096, 4096, rounds, sample_seconds, int8_peak, peaks);
    bench_shape(2048, 2048, rounds, sample_seconds, int8_peak, peaks);
    bench_shape(1024, 1024, rounds, sample_seconds, int8_peak, peaks);
    bench_shape(256, 784, rounds, sample_seconds, int8_peak, peaks);
  }
#if TSR_BENCH_XNNPACK
  xnn_deinitialize();
#endif
  return 0;
}
