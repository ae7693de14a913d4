// The GRU and LSTM kernels for avx512; target flags come from model/CMakeLists.txt. With
// GS_RUN_KERNELS defined, the GRU's run kernels instead (gru_run_kernel_avx512.cpp).
#define GS_KERNEL_NAMESPACE avx512
#define GS_SIMD_LANES 16
#define GS_SIMD_TILE 24
// Tiles of up to 3 vectors (H <= 16's one tile; also the last tile of run-time sizes such as
// H129-144, not measured) sum in four sets: a CPU with whole 512-bit FMAs (a Zen 5) gets
// through their 48 FMAs faster than the chains of up to 8 that two sets leave (Zen 5, blocks
// of 64, minimum of 12 rounds: H12 2100 -> 1979 ns, H16 2266 -> 2083; stereo H16 2919 ->
// 2855; docs/benchmarks.md). AVX2's H8 was slower so.
#define GS_SIMD_FOUR_SET_VECTORS 3
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
