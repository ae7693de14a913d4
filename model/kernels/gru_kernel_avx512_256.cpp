// The GRU and LSTM kernels for avx512_256: AVX2's kernels (8-float vectors, the same tile and
// sets) built with AVX-512's target flags, for CPUs that have both (model/CMakeLists.txt). The
// compiler then has 32 vector registers instead of 16 and AVX-512's instructions on 8 floats
// (simd.h's exponential takes them). With GS_RUN_KERNELS defined, the GRU's run kernels instead
// (gru_run_kernel_avx512_256.cpp).
// Tiles of up to 3 vectors (H8's one tile; also the last tile of run-time sizes such as H17-24's
// 9 vectors in tiles of 15, not measured) sum in four sets, as AVX-512's: with 32 registers the
// 12 accumulators and 8 broadcasts no longer spill, which made AVX2's four sets slower. Zen 5,
// H8 one sample at a time, 8 alternating rounds, minimum: 25.4 -> 24.4 ns (AVX2's kernels ->
// these with four sets, before simd.h's exponential took AVX-512's instructions);
// docs/benchmarks.md, twenty-second session.
#define GS_KERNEL_NAMESPACE avx512_256
#define GS_SIMD_LANES 8
#define GS_SIMD_TILE 15
#define GS_SIMD_SPLIT_VECTORS 3
#define GS_SIMD_FOUR_SET_VECTORS 3
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
