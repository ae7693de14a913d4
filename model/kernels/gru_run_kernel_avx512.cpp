// The GRU run kernels (gru_run_kernel_impl.h) for avx512, in a translation unit of their own:
// GCC's inlining budget is per unit, and beside the step kernels they changed GCC's code for
// kernels they never call (measured on AVX2 and AVX-512: docs/benchmarks.md, fourteenth session).
// The settings and target flags stay gru_kernel_avx512.cpp's: with GS_RUN_KERNELS defined it
// includes only the run kernels, and simd.h takes a lane of a vector by shuffles (splatLane).
#define GS_RUN_KERNELS
#include "gru_kernel_avx512.cpp"  // NOLINT(bugprone-suspicious-include)
